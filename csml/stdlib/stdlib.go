// Package stdlib is CSML's standard library as the reference engine defines
// it: the methods of each value type and the builtin functions, one file per
// module. It plugs into the interpreter as an interp.Library.
package stdlib

import "switchboard/csml/interp"

// Library returns the standard library.
func Library() *interp.Library {
	return &interp.Library{
		ByContentType: map[string]map[string]interp.Method{
			"event":  eventMethods,
			"http":   httpMethods,
			"time":   timeMethods,
			"base64": base64Methods,
			"hex":    hexMethods,
			"crypto": cryptoMethods,
			"jwt":    jwtMethods,
			"smtp":   smtpMethods,
		},
		ByKind: map[interp.Kind]map[string]interp.Method{
			interp.String: stringMethods,
			interp.Int:    numberMethods,
			interp.Float:  numberMethods,
			interp.Array:  arrayMethods,
			interp.Object: objectMethods,
		},
		Generic:  genericMethods,
		Builtins: builtins,
	}
}

func read(fn func(c *interp.Call) (interp.Value, error)) interp.Method {
	return interp.Method{Fn: fn}
}

func write(fn func(c *interp.Call) (interp.Value, error)) interp.Method {
	return interp.Method{Fn: fn, Write: true}
}

// noArgs checks that a method got no argument; usage is the reference's
// usage line.
func noArgs(c *interp.Call, usage string) error {
	if c.Args.Len() > 0 {
		return c.Errorf("usage: " + usage)
	}
	return nil
}
