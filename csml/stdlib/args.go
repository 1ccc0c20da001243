package stdlib

import "switchboard/csml/interp"

// Helpers reading method and builtin arguments.

func nullValue() interp.Value { return interp.NullValue() }

func str(s string) interp.Value { return interp.StringValue(s) }

func boolean(b bool) interp.Value { return interp.BoolValue(b) }

func integer(n int) interp.Value { return interp.IntValue(int64(n)) }

// argString returns positional argument i when it is a string, else the
// error msg.
func argString(c *interp.Call, i int, msg string) (string, error) {
	v, ok := c.Args.At(i)
	if !ok || v.Kind() != interp.String {
		return "", c.Errorf(msg)
	}
	return v.Str(), nil
}

// argInt returns positional argument i when it is an int, else the error
// msg.
func argInt(c *interp.Call, i int, msg string) (int64, error) {
	v, ok := c.Args.At(i)
	if !ok || v.Kind() != interp.Int {
		return 0, c.Errorf(msg)
	}
	return v.Int(), nil
}

// count checks the number of arguments.
func count(c *interp.Call, n int, usage string) error {
	if c.Args.Len() != n {
		return c.Errorf("usage: " + usage)
	}
	return nil
}
