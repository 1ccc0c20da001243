package interp

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"switchboard/csml/syntax"
)

// ParseJSON reads JSON into a value (the reference's json_to_literal):
// numbers written with a fraction or an exponent are floats, others ints;
// object keys keep their order.
func ParseJSON(data []byte) (Value, error) { return readJSON(data, false) }

// ParseMemory reads a value in the memory format (memory_to_literal):
// {"_content_type", "_content"} objects are unwrapped and keep their content
// type, {"value", "_additional_info"} objects carry their info.
func ParseMemory(data []byte) (Value, error) { return readJSON(data, true) }

var errJSON = errors.New("invalid JSON")

type jsonReader struct {
	data []byte
	i    int
	mem  bool
}

func readJSON(data []byte, mem bool) (Value, error) {
	r := &jsonReader{data: data, mem: mem}
	v, err := r.value(0)
	if err != nil {
		return Value{}, err
	}
	r.space()
	if r.i != len(r.data) {
		return Value{}, errJSON
	}
	return v, nil
}

func (r *jsonReader) space() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) literal(word string, v Value) (Value, error) {
	if len(r.data)-r.i < len(word) || string(r.data[r.i:r.i+len(word)]) != word {
		return Value{}, errJSON
	}
	r.i += len(word)
	return v, nil
}

func (r *jsonReader) value(depth int) (Value, error) {
	if depth > 512 {
		return Value{}, errors.New("JSON nested too deeply")
	}
	r.space()
	if r.i >= len(r.data) {
		return Value{}, errJSON
	}
	switch c := r.data[r.i]; {
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case c == '"':
		s, err := r.str()
		return StringValue(s), err
	case c == 't':
		return r.literal("true", BoolValue(true))
	case c == 'f':
		return r.literal("false", BoolValue(false))
	case c == 'n':
		return r.literal("null", Value{})
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	}
	return Value{}, errJSON
}

func (r *jsonReader) number() (Value, error) {
	start := r.i
	float := false
	for r.i < len(r.data) {
		c := r.data[r.i]
		switch {
		case c >= '0' && c <= '9' || c == '-' || c == '+':
		case c == '.' || c == 'e' || c == 'E':
			float = true
		default:
			goto done
		}
		r.i++
	}
done:
	text := string(r.data[start:r.i])
	if !float {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return IntValue(n), nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Value{}, errJSON
	}
	return FloatValue(f), nil
}

func (r *jsonReader) str() (string, error) {
	r.i++ // opening quote
	start := r.i
	for r.i < len(r.data) {
		c := r.data[r.i]
		if c == '"' {
			s := string(r.data[start:r.i])
			r.i++
			return s, nil
		}
		if c == '\\' {
			return r.escapedStr(start)
		}
		r.i++
	}
	return "", errJSON
}

func (r *jsonReader) escapedStr(start int) (string, error) {
	b := append([]byte(nil), r.data[start:r.i]...)
	for r.i < len(r.data) {
		c := r.data[r.i]
		switch {
		case c == '"':
			r.i++
			return string(b), nil
		case c != '\\':
			b = append(b, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.data) {
			return "", errJSON
		}
		r.i += 2
		switch e := r.data[r.i-1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'u':
			ru, ok := r.hex4()
			if !ok {
				return "", errJSON
			}
			if utf16.IsSurrogate(ru) {
				if r.i+1 < len(r.data) && r.data[r.i] == '\\' && r.data[r.i+1] == 'u' {
					r.i += 2
					lo, ok := r.hex4()
					if !ok {
						return "", errJSON
					}
					ru = utf16.DecodeRune(ru, lo)
				} else {
					ru = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, ru)
		default:
			return "", errJSON
		}
	}
	return "", errJSON
}

func (r *jsonReader) hex4() (rune, bool) {
	if r.i+4 > len(r.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(r.data[r.i:r.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(n), true
}

func (r *jsonReader) array(depth int) (Value, error) {
	r.i++
	var items []Value
	r.space()
	if r.i < len(r.data) && r.data[r.i] == ']' {
		r.i++
		return ArrayValue(items), nil
	}
	for {
		v, err := r.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		items = append(items, v)
		r.space()
		if r.i >= len(r.data) {
			return Value{}, errJSON
		}
		switch r.data[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return ArrayValue(items), nil
		default:
			return Value{}, errJSON
		}
	}
}

func (r *jsonReader) object(depth int) (Value, error) {
	r.i++
	o := &ObjectData{}
	r.space()
	if r.i < len(r.data) && r.data[r.i] == '}' {
		r.i++
		return r.unwrap(o), nil
	}
	for {
		r.space()
		if r.i >= len(r.data) || r.data[r.i] != '"' {
			return Value{}, errJSON
		}
		k, err := r.str()
		if err != nil {
			return Value{}, err
		}
		r.space()
		if r.i >= len(r.data) || r.data[r.i] != ':' {
			return Value{}, errJSON
		}
		r.i++
		v, err := r.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		o.Set(k, v)
		r.space()
		if r.i >= len(r.data) {
			return Value{}, errJSON
		}
		switch r.data[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return r.unwrap(o), nil
		default:
			return Value{}, errJSON
		}
	}
}

// unwrap applies the memory format's wrappers to a decoded object.
func (r *jsonReader) unwrap(o *ObjectData) Value {
	if !r.mem {
		return ObjectValue(o)
	}
	if info, ok := o.Get("_additional_info"); ok {
		v, hasValue := o.Get("value")
		if !hasValue || info.kind != Object {
			return Value{}
		}
		return v.WithInfo(info.obj)
	}
	content, hasContent := o.Get("_content")
	if ct, ok := o.Get("_content_type"); ok && hasContent {
		if ct.kind != String {
			return Value{}
		}
		return content.WithContentType(ct.s)
	}
	if c, ok := o.Get("_closure"); ok {
		return readClosure(c)
	}
	return ObjectValue(o)
}

// readClosure restores a closure from its memory form (see appendClosure);
// what cannot be read is null.
func readClosure(c Value) Value {
	if c.kind != Object {
		return Value{}
	}
	src, _ := c.obj.Get("func")
	if src.kind != String {
		return Value{}
	}
	x, err := syntax.ParseClosure(src.s)
	if err != nil {
		return Value{}
	}
	fn := &ClosureData{Params: x.Params, Body: x.Body, Src: x.Src}
	if vars, ok := c.obj.Get("enclosed_variables"); ok && vars.kind == Object {
		fn.Captured = vars.obj
	}
	return closureValue(fn)
}
