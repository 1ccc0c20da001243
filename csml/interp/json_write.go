package interp

import (
	"strconv"
	"unicode/utf8"
)

// JSON returns the reference's to_json of v, as bytes.
func JSON(v Value) []byte { return appendJSON(nil, v) }

// appendJSON appends the reference's to_json of v: nested values whose
// content type is not a plain type are wrapped as
// {"content_type": ..., "content": ...}.
func appendJSON(b []byte, v Value) []byte {
	switch v.kind {
	case Array:
		b = append(b, '[')
		for i, it := range v.arr.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNestedJSON(b, it)
		}
		return append(b, ']')
	case Object:
		b = append(b, '{')
		for i, e := range v.obj.entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, e.key)
			b = append(b, ':')
			b = appendNestedJSON(b, e.val)
		}
		return append(b, '}')
	}
	return appendScalarJSON(b, v)
}

func appendNestedJSON(b []byte, v Value) []byte {
	if ct := v.ContentType(); !isPlainType(ct) {
		b = append(b, `{"content_type":`...)
		b = appendJSONString(b, ct)
		b = append(b, `,"content":`...)
		b = appendJSON(b, v)
		return append(b, '}')
	}
	return appendJSON(b, v)
}

func appendScalarJSON(b []byte, v Value) []byte {
	switch v.kind {
	case Bool:
		return strconv.AppendBool(b, v.n != 0)
	case Int:
		return strconv.AppendInt(b, v.n, 10)
	case Float:
		return appendFloatJSON(b, v.Float())
	case String:
		return appendJSONString(b, v.s)
	case Closure:
		return appendClosure(b, v.Closure())
	}
	return append(b, "null"...)
}

// appendClosure writes a closure as {"_closure": {"args", "func",
// "enclosed_variables"}}, as the reference keeps closures in memories; func
// is the closure's source here (the reference writes its syntax tree).
func appendClosure(b []byte, fn *ClosureData) []byte {
	if fn == nil {
		return append(b, `{"_closure":null}`...)
	}
	b = append(b, `{"_closure":{"args":[`...)
	for i, p := range fn.Params {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p)
	}
	b = append(b, `],"func":`...)
	b = appendJSONString(b, fn.Src)
	b = append(b, `,"enclosed_variables":`...)
	if fn.Captured == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		for i, e := range fn.Captured.entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, e.key)
			b = append(b, ':')
			b = appendMem(b, e.val, true)
		}
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

// appendMem appends v in the memory format (the reference's format_mem):
// JSON, except that objects are wrapped as
// {"_content_type": ..., "_content": {...}} at the top level (first), and
// below it when their content type is not "object". Arrays pass first on to
// their items.
func appendMem(b []byte, v Value, first bool) []byte {
	switch v.kind {
	case Array:
		b = append(b, '[')
		for i, it := range v.arr.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMem(b, it, first)
		}
		return append(b, ']')
	case Object:
		ct := v.ContentType()
		wrap := first || ct != "object"
		if wrap {
			b = append(b, `{"_content_type":`...)
			b = appendJSONString(b, ct)
			b = append(b, `,"_content":`...)
		}
		b = append(b, '{')
		for i, e := range v.obj.entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, e.key)
			b = append(b, ':')
			b = appendMem(b, e.val, false)
		}
		b = append(b, '}')
		if wrap {
			b = append(b, '}')
		}
		return b
	}
	return appendScalarJSON(b, v)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way serde_json writes it:
// only quotes, backslashes and control characters are escaped; invalid UTF-8
// becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
