package stdlib

import (
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// genericMethods apply to every value type.
var genericMethods = map[string]interp.Method{
	"type_of": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "type_of() => string"); err != nil {
			return interp.Value{}, err
		}
		if c.Recv.Kind() == interp.Null {
			return interp.StringValue("Null"), nil
		}
		return interp.StringValue(c.Recv.Kind().String()), nil
	}),
	"to_string": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "to_string() => string"); err != nil {
			return interp.Value{}, err
		}
		return interp.StringValue(interp.ToString(c.Recv)), nil
	}),
	"is_number": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "is_number() => boolean"); err != nil {
			return interp.Value{}, err
		}
		switch v := c.Recv; v.Kind() {
		case interp.Int, interp.Float:
			return interp.BoolValue(true), nil
		case interp.String:
			_, ok := syntax.ParseFloat(v.Str())
			return interp.BoolValue(ok), nil
		}
		return interp.BoolValue(false), nil
	}),
	"is_int": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "is_int() => boolean"); err != nil {
			return interp.Value{}, err
		}
		switch v := c.Recv; v.Kind() {
		case interp.Int:
			return interp.BoolValue(true), nil
		case interp.String:
			_, ok := syntax.ParseInt(v.Str())
			return interp.BoolValue(ok), nil
		}
		return interp.BoolValue(false), nil
	}),
	"is_float": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "is_float() => boolean"); err != nil {
			return interp.Value{}, err
		}
		switch v := c.Recv; v.Kind() {
		case interp.Float:
			return interp.BoolValue(true), nil
		case interp.String:
			_, ok := syntax.ParseFloat(v.Str())
			return interp.BoolValue(ok && strings.Contains(v.Str(), ".")), nil
		}
		return interp.BoolValue(false), nil
	}),
	"is_error": read(func(c *interp.Call) (interp.Value, error) {
		return interp.BoolValue(c.Recv.IsError()), nil
	}),
	"get_info": read(func(c *interp.Call) (interp.Value, error) {
		info := c.Recv.Info()
		if info == nil {
			return interp.StringValue("Null"), nil
		}
		key, ok := c.Args.At(0)
		if !ok {
			return interp.ObjectValue(info.Clone()), nil
		}
		if key.Kind() != interp.String {
			return interp.Value{}, c.Errorf("get_info(Optional<String: search_key>) => Literal")
		}
		if v, ok := info.Get(key.Str()); ok {
			return v, nil
		}
		o := info.Clone()
		return interp.ObjectValue(o).WithInfo(errorInfo("get_info() failed, key '" + key.Str() + "' not found")), nil
	}),
}

func errorInfo(msg string) *interp.ObjectData {
	o := interp.NewObject(1)
	o.Set("error", interp.StringValue(msg))
	return o
}
