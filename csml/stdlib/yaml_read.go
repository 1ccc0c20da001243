package stdlib

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// readYAML reads the YAML documents string.to_json() accepts: block
// mappings and sequences, flow collections ([a, b], {a: 1}, so JSON too),
// plain, single- and double-quoted scalars, literal (|) and folded (>)
// blocks, comments and a "---" start. Plain scalars resolve as serde_yaml
// does: ~ and null, true and false, integers, floats, else strings.
// Anchors, aliases and tags are not supported.
func readYAML(src string) (interp.Value, error) {
	y := &yamlReader{}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		y.lines = append(y.lines, line)
	}
	y.skipBlank()
	if y.i < len(y.lines) && strings.HasPrefix(y.lines[y.i], "---") {
		rest := strings.TrimSpace(y.lines[y.i][3:])
		if rest == "" || rest[0] == '#' {
			y.i++
		} else {
			y.lines[y.i] = rest
		}
	}
	y.skipBlank()
	if y.i >= len(y.lines) {
		return interp.NullValue(), nil
	}
	v, err := y.block(y.indentOf(y.i))
	if err != nil {
		return interp.Value{}, err
	}
	y.skipBlank()
	if y.i < len(y.lines) && strings.TrimSpace(y.lines[y.i]) != "..." {
		return interp.Value{}, errYAML
	}
	return v, nil
}

var errYAML = errors.New("invalid YAML")

// maxYAMLDepth bounds nesting, so that hostile input cannot exhaust the
// stack.
const maxYAMLDepth = 200

type yamlReader struct {
	lines []string
	i     int
	depth int
}

// content is a line without its comment and trailing spaces.
func content(line string) string {
	inS, inD := false, false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\'' && !inD:
			inS = !inS
		case c == '"' && !inS:
			inD = !inD
		case c == '\\' && inD:
			i++
		case c == '#' && !inS && !inD && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimRight(line[:i], " \t")
		}
	}
	return strings.TrimRight(line, " \t")
}

func (y *yamlReader) skipBlank() {
	for y.i < len(y.lines) && strings.TrimSpace(content(y.lines[y.i])) == "" {
		y.i++
	}
}

func (y *yamlReader) indentOf(i int) int {
	return len(y.lines[i]) - len(strings.TrimLeft(y.lines[i], " "))
}

// block reads the node starting at line y.i, indented by ind.
func (y *yamlReader) block(ind int) (interp.Value, error) {
	y.depth++
	defer func() { y.depth-- }()
	if y.depth > maxYAMLDepth {
		return interp.Value{}, errYAML
	}
	line := content(y.lines[y.i])[ind:]
	switch {
	case line == "-" || strings.HasPrefix(line, "- "):
		return y.sequence(ind)
	case mappingKey(line) >= 0:
		return y.mapping(ind)
	}
	return y.scalarLines(ind)
}

// mappingKey returns the end of the key of "key: value" (or "key:"), or -1.
func mappingKey(line string) int {
	if line == "" {
		return -1
	}
	if line[0] == '"' || line[0] == '\'' {
		end := quotedEnd(line)
		if end > 0 && end < len(line) && line[end] == ':' && (end+1 == len(line) || line[end+1] == ' ') {
			return end
		}
		return -1
	}
	if strings.IndexByte("[{", line[0]) >= 0 {
		return -1
	}
	for i := 0; i < len(line); i++ {
		if line[i] == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
			return i
		}
	}
	return -1
}

// quotedEnd is the index just past the quoted scalar that starts line.
func quotedEnd(line string) int {
	q := line[0]
	for i := 1; i < len(line); i++ {
		switch {
		case q == '"' && line[i] == '\\':
			i++
		case line[i] == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++
		case line[i] == q:
			return i + 1
		}
	}
	return -1
}

func (y *yamlReader) sequence(ind int) (interp.Value, error) {
	var items []interp.Value
	for {
		y.skipBlank()
		if y.i >= len(y.lines) || y.indentOf(y.i) != ind {
			break
		}
		line := content(y.lines[y.i])[ind:]
		if line != "-" && !strings.HasPrefix(line, "- ") {
			break
		}
		rest := strings.TrimLeft(line[1:], " ")
		if rest == "" {
			y.i++
			v, err := y.child(ind)
			if err != nil {
				return interp.Value{}, err
			}
			items = append(items, v)
			continue
		}
		// "- key: v" or "- - x": the item is a block indented at the
		// position of what follows the dash.
		sub := ind + len(line) - len(rest)
		y.lines[y.i] = strings.Repeat(" ", sub) + rest
		v, err := y.block(sub)
		if err != nil {
			return interp.Value{}, err
		}
		items = append(items, v)
	}
	return interp.ArrayValue(items), nil
}

// child reads the node below a "key:" or "-" line, or null when the next
// line is not indented deeper (a sequence may sit at the key's level).
func (y *yamlReader) child(parent int) (interp.Value, error) {
	y.skipBlank()
	if y.i >= len(y.lines) {
		return interp.NullValue(), nil
	}
	ind := y.indentOf(y.i)
	line := content(y.lines[y.i])[ind:]
	if ind > parent || (ind == parent && (line == "-" || strings.HasPrefix(line, "- "))) {
		return y.block(ind)
	}
	return interp.NullValue(), nil
}

func (y *yamlReader) mapping(ind int) (interp.Value, error) {
	o := interp.NewObject(4)
	for {
		y.skipBlank()
		if y.i >= len(y.lines) || y.indentOf(y.i) != ind {
			break
		}
		line := content(y.lines[y.i])[ind:]
		k := mappingKey(line)
		if k < 0 {
			return interp.Value{}, errYAML
		}
		keyVal, err := parseScalar(line[:k])
		if err != nil {
			return interp.Value{}, err
		}
		key := interp.ToString(keyVal)
		rest := strings.TrimLeft(line[k+1:], " \t")
		y.i++
		var v interp.Value
		switch {
		case rest == "":
			v, err = y.child(ind)
		case rest[0] == '|' || rest[0] == '>':
			v, err = y.blockScalar(ind, rest)
		default:
			if mappingKey(rest) >= 0 && rest[0] != '"' && rest[0] != '\'' {
				return interp.Value{}, errYAML
			}
			v, err = y.inline(ind, rest)
		}
		if err != nil {
			return interp.Value{}, err
		}
		o.Set(key, v)
	}
	return interp.ObjectValue(o), nil
}

// inline reads a value written after "key:" that may continue on more
// indented lines (a flow collection or a multi-line plain scalar).
func (y *yamlReader) inline(ind int, text string) (interp.Value, error) {
	var b strings.Builder
	b.WriteString(text)
	for y.i < len(y.lines) {
		next := content(y.lines[y.i])
		if strings.TrimSpace(next) != "" && y.indentOf(y.i) <= ind {
			break
		}
		if strings.TrimSpace(next) == "" && text[0] != '[' && text[0] != '{' {
			break
		}
		b.WriteString(" " + strings.TrimSpace(next))
		y.i++
	}
	return parseScalar(b.String())
}

// scalarLines reads a top-level or sequence scalar and its continuation
// lines.
func (y *yamlReader) scalarLines(ind int) (interp.Value, error) {
	text := strings.TrimSpace(content(y.lines[y.i]))
	if text == "" { // only characters the line test does not count as space, such as \v
		y.i++
		return interp.NullValue(), nil
	}
	if text[0] == '|' || text[0] == '>' {
		y.i++
		return y.blockScalar(ind-1, text)
	}
	y.i++
	return y.inline(ind-1, text)
}

// blockScalar reads a literal (|) or folded (>) block below a line
// indented by ind; header is the indicator and its chomping sign.
func (y *yamlReader) blockScalar(ind int, header string) (interp.Value, error) {
	folded := header[0] == '>'
	chomp := byte(0)
	if strings.Contains(header, "-") {
		chomp = '-'
	} else if strings.Contains(header, "+") {
		chomp = '+'
	}
	var lines []string
	blockInd := -1
	for y.i < len(y.lines) {
		raw := y.lines[y.i]
		if strings.TrimSpace(raw) == "" {
			lines = append(lines, "")
			y.i++
			continue
		}
		n := y.indentOf(y.i)
		if n <= ind {
			break
		}
		if blockInd < 0 {
			blockInd = n
		}
		if n < blockInd {
			break
		}
		lines = append(lines, raw[blockInd:])
		y.i++
	}
	trailing := 0
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines, trailing = lines[:len(lines)-1], trailing+1
	}
	var text string
	if folded {
		var b strings.Builder
		for i, l := range lines {
			switch {
			case i == 0:
			case l == "" || lines[i-1] == "" || strings.HasPrefix(l, " "):
				b.WriteByte('\n')
			default:
				b.WriteByte(' ')
			}
			b.WriteString(l)
		}
		text = b.String()
	} else {
		text = strings.Join(lines, "\n")
	}
	switch {
	case len(lines) == 0:
	case chomp == '+':
		text += "\n" + strings.Repeat("\n", trailing)
	case chomp == 0:
		text += "\n"
	}
	return interp.StringValue(text), nil
}

// parseScalar reads a one-line value: a flow collection, a quoted string
// or a plain scalar.
func parseScalar(s string) (interp.Value, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.IndexByte("[{\"'", s[0]) < 0 {
		return resolvePlain(s), nil
	}
	f := &flowReader{s: s}
	v, err := f.value(0)
	if err != nil {
		return interp.Value{}, err
	}
	f.space()
	if f.i != len(f.s) {
		return interp.Value{}, errYAML
	}
	return v, nil
}

// flowReader reads flow-style YAML: [a, b], {k: v}, quoted and plain
// scalars.
type flowReader struct {
	s string
	i int
}

func (f *flowReader) space() {
	for f.i < len(f.s) && (f.s[f.i] == ' ' || f.s[f.i] == '\t') {
		f.i++
	}
}

func (f *flowReader) value(depth int) (interp.Value, error) {
	if depth > maxYAMLDepth {
		return interp.Value{}, errYAML
	}
	f.space()
	if f.i >= len(f.s) {
		return interp.NullValue(), nil
	}
	switch f.s[f.i] {
	case '[':
		return f.collection(depth, ']')
	case '{':
		return f.collection(depth, '}')
	case '"', '\'':
		end := quotedEnd(f.s[f.i:])
		if end < 0 {
			return interp.Value{}, errYAML
		}
		s, err := unquoteYAML(f.s[f.i : f.i+end])
		f.i += end
		return interp.StringValue(s), err
	case '&', '*', '!', '%', '@', '`':
		return interp.Value{}, errYAML
	}
	start := f.i
	for f.i < len(f.s) && strings.IndexByte(",]}", f.s[f.i]) < 0 && !(f.s[f.i] == ':' && (f.i+1 == len(f.s) || f.s[f.i+1] == ' ')) {
		f.i++
	}
	return resolvePlain(strings.TrimSpace(f.s[start:f.i])), nil
}

// collection reads [a, b] (end ']') or {k: v} (end '}').
func (f *flowReader) collection(depth int, end byte) (interp.Value, error) {
	f.i++
	var items []interp.Value
	o := interp.NewObject(4)
	for {
		f.space()
		if f.i < len(f.s) && f.s[f.i] == end {
			f.i++
			break
		}
		k, err := f.value(depth + 1)
		if err != nil {
			return interp.Value{}, err
		}
		f.space()
		if end == '}' {
			if f.i >= len(f.s) || f.s[f.i] != ':' {
				return interp.Value{}, errYAML
			}
			f.i++
			v, err := f.value(depth + 1)
			if err != nil {
				return interp.Value{}, err
			}
			o.Set(interp.ToString(k), v)
		} else {
			items = append(items, k)
		}
		f.space()
		if f.i >= len(f.s) {
			return interp.Value{}, errYAML
		}
		if f.s[f.i] == ',' {
			f.i++
			continue
		}
		if f.s[f.i] != end {
			return interp.Value{}, errYAML
		}
	}
	if end == '}' {
		return interp.ObjectValue(o), nil
	}
	if items == nil {
		items = []interp.Value{}
	}
	return interp.ArrayValue(items), nil
}

// unquoteYAML reads a quoted scalar: ” escapes a single quote; double
// quotes take backslash escapes.
func unquoteYAML(q string) (string, error) {
	if q[0] == '\'' {
		return strings.ReplaceAll(q[1:len(q)-1], "''", "'"), nil
	}
	s, err := strconv.Unquote(q)
	if err != nil {
		return "", errYAML
	}
	return s, nil
}

// resolvePlain gives a plain scalar its type, as serde_yaml does.
func resolvePlain(s string) interp.Value {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return interp.NullValue()
	case "true", "True", "TRUE":
		return interp.BoolValue(true)
	case "false", "False", "FALSE":
		return interp.BoolValue(false)
	case ".inf", ".Inf", ".INF", "+.inf":
		return interp.FloatValue(math.Inf(1))
	case "-.inf", "-.Inf", "-.INF":
		return interp.FloatValue(math.Inf(-1))
	case ".nan", ".NaN", ".NAN":
		return interp.FloatValue(math.NaN())
	}
	if n, ok := syntax.ParseInt(s); ok {
		return interp.IntValue(n)
	}
	if strings.HasPrefix(s, "0x") {
		if n, err := strconv.ParseInt(s[2:], 16, 64); err == nil {
			return interp.IntValue(n)
		}
	}
	if strings.HasPrefix(s, "0o") {
		if n, err := strconv.ParseInt(s[2:], 8, 64); err == nil {
			return interp.IntValue(n)
		}
	}
	if f, ok := syntax.ParseFloat(s); ok {
		return interp.FloatValue(f)
	}
	return interp.StringValue(s)
}
