package stdlib

import (
	"slices"
	"strconv"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// toYAML writes v as the reference's object.to_yaml() does (serde_yaml 0.8
// over its JSON): a "---" document start, block style with two-space
// indents, sequences of mappings in compact form, keys sorted (the
// reference's JSON maps are sorted), floats always with a fraction,
// strings quoted only when they would read back as something else.
func toYAML(v interp.Value) string {
	var b strings.Builder
	b.WriteString("---\n")
	w := &yamlWriter{b: &b, level: -1}
	w.node(plainJSON(v))
	b.WriteByte('\n')
	return b.String()
}

type yamlWriter struct {
	b     *strings.Builder
	level int
}

func (w *yamlWriter) indent() {
	for i := 0; i < w.level; i++ {
		w.b.WriteString("  ")
	}
}

func (w *yamlWriter) node(v interp.Value) {
	switch v.Kind() {
	case interp.Array:
		w.array(v.Items())
	case interp.Object:
		w.object(v.Obj())
	default:
		w.scalar(v)
	}
}

func (w *yamlWriter) scalar(v interp.Value) {
	switch v.Kind() {
	case interp.Null:
		w.b.WriteString("~")
	case interp.Bool:
		w.b.WriteString(strconv.FormatBool(v.Bool()))
	case interp.Int:
		w.b.WriteString(strconv.FormatInt(v.Int(), 10))
	case interp.Float:
		w.b.WriteString(yamlFloat(v.Float()))
	default:
		s := interp.ToString(v)
		if yamlNeedsQuotes(s) {
			w.b.WriteString(yamlQuote(s))
		} else {
			w.b.WriteString(s)
		}
	}
}

func (w *yamlWriter) array(items []interp.Value) {
	if len(items) == 0 {
		w.b.WriteString("[]")
		return
	}
	w.level++
	for i, it := range items {
		if i > 0 {
			w.b.WriteByte('\n')
			w.indent()
		}
		w.b.WriteByte('-')
		w.value(it, true)
	}
	w.level--
}

func (w *yamlWriter) object(o *interp.ObjectData) {
	if o.Len() == 0 {
		w.b.WriteString("{}")
		return
	}
	w.level++
	for i, k := range slices.Sorted(slices.Values(o.Keys())) {
		if i > 0 {
			w.b.WriteByte('\n')
			w.indent()
		}
		w.scalar(interp.StringValue(k))
		w.b.WriteByte(':')
		v, _ := o.Get(k)
		w.value(v, false)
	}
	w.level--
}

// value writes what follows "key:" or "-": collections in a sequence stay
// on the dash's line, others go below, indented.
func (w *yamlWriter) value(v interp.Value, inline bool) {
	empty := (v.Kind() == interp.Array && len(v.Items()) == 0) || (v.Kind() == interp.Object && v.Obj().Len() == 0)
	switch {
	case v.Kind() != interp.Array && v.Kind() != interp.Object, inline, empty:
		w.b.WriteByte(' ')
	default:
		w.b.WriteByte('\n')
		w.level++
		w.indent()
		w.level--
	}
	w.node(v)
}

// yamlFloat writes a float as the dtoa crate does for serde_yaml: always a
// fraction or an exponent; .inf, -.inf and .nan.
func yamlFloat(f float64) string {
	switch {
	case f != f:
		return ".nan"
	case f > 1.7976931348623157e308:
		return ".inf"
	case f < -1.7976931348623157e308:
		return "-.inf"
	}
	return string(interp.JSON(interp.FloatValue(f)))
}

// yamlNeedsQuotes is yaml-rust's need_quotes: strings that are empty,
// padded, start with an indicator, hold a special character, or would read
// back as a boolean, null or number.
func yamlNeedsQuotes(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || strings.IndexByte("&*?|-<>=!%@.", s[0]) >= 0 || strings.HasPrefix(s, "0x") {
		return true
	}
	for _, c := range s {
		if strings.ContainsRune(":{}[],#`\"'\\\t\n\r", c) || (c < 0x20 && c != 0x07 && c != 0x08 && c != 0x0b && c != 0x0c && c != 0x1b) {
			return true
		}
	}
	switch s {
	case "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false",
		"on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~":
		return true
	}
	if _, ok := syntax.ParseInt(s); ok {
		return true
	}
	_, ok := syntax.ParseFloat(s)
	return ok
}

// yamlQuote writes a double-quoted YAML string.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00` + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15]))
			} else {
				b.WriteRune(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// plainJSON is v as its JSON reads back: nested values of other content
// types wrapped as {"content", "content_type"}, as the reference's
// to_json does before serializing.
func plainJSON(v interp.Value) interp.Value {
	out, err := interp.ParseJSON(interp.JSON(v))
	if err != nil {
		return interp.NullValue()
	}
	return out
}
