package stdlib

import (
	"encoding/base64"
	"encoding/hex"
	"strings"

	"switchboard/csml/interp"
)

// codec is Base64(string) and Hex(string): an object {"string": s} of that
// content type, with encode() and decode().
func codec(contentType string) interp.Builtin {
	return builtin(func(c *interp.Call) (interp.Value, error) {
		s, ok := c.Args.Get("string", 0)
		if !ok || s.Kind() != interp.String {
			return nullValue(), c.Errorf(errHTTP)
		}
		o := interp.NewObject(1)
		o.Set("string", s)
		return interp.ObjectValue(o).WithContentType(contentType), nil
	})
}

func codecMethods(name string, encode func([]byte) string, decode func(string) ([]byte, error)) map[string]interp.Method {
	text := func(c *interp.Call, usage string) (string, error) {
		v, ok := c.Recv.Obj().Get("string")
		if !ok {
			return "", c.Errorf("usage: " + usage)
		}
		return interp.ToString(v), nil
	}
	return map[string]interp.Method{
		"encode": read(func(c *interp.Call) (interp.Value, error) {
			s, err := text(c, name+"(\"...\").encode() => String")
			if err != nil {
				return nullValue(), err
			}
			return str(encode([]byte(s))), nil
		}),
		"decode": read(func(c *interp.Call) (interp.Value, error) {
			s, err := text(c, name+"(\"...\").decode() => String")
			if err != nil {
				return nullValue(), err
			}
			b, err := decode(s)
			if err != nil {
				return nullValue(), c.Errorf(name + " invalid value: " + s + ", can't be decode")
			}
			return str(strings.ToValidUTF8(string(b), "\uFFFD")), nil
		}),
	}
}

var (
	base64Methods = codecMethods("Base64", base64.StdEncoding.EncodeToString, base64.StdEncoding.DecodeString)
	hexMethods    = codecMethods("Hex", hex.EncodeToString, hex.DecodeString)
)
