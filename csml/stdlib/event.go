package stdlib

import (
	"regexp"

	"switchboard/csml/interp"
)

var emailRegexp = regexp.MustCompile(`^[^@]+@[^@]+\.[^@]+$`)

// eventText is the event's text, else its payload, when a string.
func eventText(c *interp.Call) (interp.Value, bool) {
	o := c.Recv.Obj()
	for _, k := range [...]string{"text", "payload"} {
		if v, ok := o.Get(k); ok {
			return v, v.Kind() == interp.String
		}
	}
	return interp.Value{}, false
}

// eventMethods are the methods of the event's content (event.get_type()...);
// other methods apply to its text or payload.
var eventMethods = map[string]interp.Method{
	"get_type": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "get_type() => string"); err != nil {
			return interp.Value{}, err
		}
		return interp.StringValue(c.EventType), nil
	}),
	"get_content": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "get_content() => object"); err != nil {
			return interp.Value{}, err
		}
		return c.Recv.WithContentType(c.EventType).WithSecure(false), nil
	}),
	"is_secure": read(func(c *interp.Call) (interp.Value, error) {
		return interp.BoolValue(c.Recv.Secure()), nil
	}),
	"is_email": read(func(c *interp.Call) (interp.Value, error) {
		text, ok := c.Recv.Obj().Get("text")
		if !ok || text.Kind() != interp.String {
			return interp.BoolValue(false), nil
		}
		if err := noArgs(c, "is_email() => boolean"); err != nil {
			return interp.Value{}, err
		}
		return interp.BoolValue(emailRegexp.MatchString(text.Str())), nil
	}),
	"match": read(func(c *interp.Call) (interp.Value, error) {
		text, ok := eventText(c)
		if !ok {
			return interp.Value{}, nil
		}
		if c.Args.Len() == 0 {
			return interp.Value{}, c.Errorf("usage: match(a) => a")
		}
		var found interp.Value
		done := false
		c.Args.Each(func(_ string, v interp.Value) {
			if !done && interp.Match(text, v) {
				found, done = v, true
			}
		})
		return found, nil
	}),
	"match_array": read(func(c *interp.Call) (interp.Value, error) {
		text, ok := eventText(c)
		if !ok {
			return interp.Value{}, nil
		}
		arr, ok := c.Args.At(0)
		if !ok || arr.Kind() != interp.Array {
			return interp.Value{}, c.Errorf("expect Array value as argument usage: match_array([a,b,c]) => a")
		}
		for _, v := range arr.Items() {
			if interp.Match(text, v) {
				return v, nil
			}
		}
		return interp.Value{}, nil
	}),
}
