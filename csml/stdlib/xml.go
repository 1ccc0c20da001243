package stdlib

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// toXML writes v as the reference's object.to_xml() does (serde-xml-rs
// 0.5 over its JSON): every key becomes an element holding its value, keys
// sorted, scalars as text; arrays cannot be written.
func toXML(v interp.Value) (string, bool) {
	var b strings.Builder
	ok := writeXML(&b, plainJSON(v), 0)
	return b.String(), ok
}

func writeXML(b *strings.Builder, v interp.Value, depth int) bool {
	if depth > 500 {
		return false
	}
	switch v.Kind() {
	case interp.Array:
		return false
	case interp.Object:
		o := v.Obj()
		for _, k := range slices.Sorted(slices.Values(o.Keys())) {
			x, _ := o.Get(k)
			b.WriteString("<" + k + ">")
			if !writeXML(b, x, depth+1) {
				return false
			}
			b.WriteString("</" + k + ">")
		}
	case interp.Null:
	case interp.String:
		_ = xml.EscapeText(b, []byte(v.Str())) // a strings.Builder does not fail
	default:
		b.WriteString(interp.ToString(v))
	}
	return true
}

var errXML = errors.New("invalid XML")

// readXML reads an XML document as string.to_json() does
// (quickxml_to_serde): {"root": value}, where an element with text is its
// text (typed: numbers, booleans), else an object of its attributes
// ("@name") and child elements (repeated children become an array); an
// element with neither is left out. An element with both attributes and
// text keeps its text under "$text".
func readXML(src string) (interp.Value, error) {
	if !strings.HasPrefix(strings.TrimSpace(src), "<") {
		return interp.Value{}, errXML
	}
	dec := xml.NewDecoder(strings.NewReader(src))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			return interp.Value{}, errXML
		}
		if start, ok := tok.(xml.StartElement); ok {
			v, ok, err := readElement(dec, start, 0)
			if err != nil {
				return interp.Value{}, err
			}
			if !ok {
				v = interp.NullValue()
			}
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					return interp.Value{}, errXML
				}
				if _, ok := tok.(xml.StartElement); ok {
					return interp.Value{}, errXML
				}
			}
			o := interp.NewObject(1)
			o.Set(start.Name.Local, v)
			return interp.ObjectValue(o), nil
		}
	}
}

// readElement reads the content of start up to its end; ok is false for
// an element without text, attributes or children.
func readElement(dec *xml.Decoder, start xml.StartElement, depth int) (interp.Value, bool, error) {
	if depth > 200 {
		return interp.Value{}, false, errXML
	}
	var text strings.Builder
	children := interp.NewObject(len(start.Attr))
	for _, a := range start.Attr {
		children.Set("@"+a.Name.Local, xmlText(a.Value))
	}
	attrs := children.Len()
	for {
		tok, err := dec.Token()
		if err != nil {
			return interp.Value{}, false, errXML
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			v, ok, err := readElement(dec, t, depth+1)
			if err != nil {
				return interp.Value{}, false, err
			}
			if ok {
				addChild(children, t.Name.Local, v)
			}
		case xml.EndElement:
			if s := strings.TrimSpace(text.String()); s != "" {
				if attrs == 0 {
					return xmlText(s), true, nil
				}
				o := interp.NewObject(attrs + 1)
				for k, v := range children.All() {
					if strings.HasPrefix(k, "@") {
						o.Set(k, v)
					}
				}
				o.Set("$text", xmlText(s))
				return interp.ObjectValue(o), true, nil
			}
			return interp.ObjectValue(children), children.Len() > 0, nil
		}
	}
}

// addChild adds a child element, turning repeated names into arrays.
func addChild(o *interp.ObjectData, name string, v interp.Value) {
	cur, ok := o.Get(name)
	switch {
	case !ok:
		o.Set(name, v)
	case cur.Kind() == interp.Array:
		cur.SetItems(append(cur.Items(), v))
	default:
		o.Set(name, interp.ArrayValue([]interp.Value{cur, v}))
	}
}

// xmlText types a text: unsigned integers (not with a leading zero),
// floats (not starting with 0 unless "0."), booleans, else the string.
func xmlText(s string) interp.Value {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseUint(s, 10, 64); err == nil && n <= 1<<63-1 {
		if strings.HasPrefix(s, "0") && s != "0" {
			return interp.StringValue(s)
		}
		return interp.IntValue(int64(n))
	}
	if f, ok := syntax.ParseFloat(s); ok && (!strings.HasPrefix(s, "0") || strings.HasPrefix(s, "0.")) && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return interp.FloatValue(f)
	}
	switch s {
	case "true":
		return interp.BoolValue(true)
	case "false":
		return interp.BoolValue(false)
	}
	return interp.StringValue(s)
}
