package stdlib

import "switchboard/csml/interp"

const (
	errObjContains = "[contains] takes one argument of type String. Usage: object.contains(\"key\")"
	errObjGet      = "[get_generics] takes one argument of type String. Usage: object.get_generics(\"key\")"
	errObjInsert   = "[insert] take tow arguments. Usage: object.insert(string, any_type)"
	errObjAssign   = "[assign] take one argument. Usage: object.assign({\"key\": \"value\"})"
	errObjRemove   = "[remove] takes one argument of type String. Usage: object.remove(\"key\")"
)

// objectMethods are the methods of objects (the reference's object.rs).
var objectMethods = map[string]interp.Method{
	"length": read(func(c *interp.Call) (interp.Value, error) {
		return integer(c.Recv.Obj().Len()), noArgs(c, "length() => int")
	}),
	"is_empty": read(func(c *interp.Call) (interp.Value, error) {
		return boolean(c.Recv.Obj().Len() == 0), noArgs(c, "is_empty() => boolean")
	}),
	"keys": read(func(c *interp.Call) (interp.Value, error) {
		var out []interp.Value
		for k := range c.Recv.Obj().All() {
			out = append(out, str(k))
		}
		return interp.ArrayValue(out), nil
	}),
	"values": read(func(c *interp.Call) (interp.Value, error) {
		var out []interp.Value
		for _, v := range c.Recv.Obj().All() {
			out = append(out, v)
		}
		return interp.ArrayValue(out), nil
	}),
	"contains": read(func(c *interp.Call) (interp.Value, error) {
		k, err := argString(c, 0, errObjContains)
		if err != nil {
			return nullValue(), err
		}
		_, ok := c.Recv.Obj().Get(k)
		return boolean(ok), nil
	}),
	"get": read(func(c *interp.Call) (interp.Value, error) {
		k, err := argString(c, 0, errObjGet)
		if err != nil {
			return nullValue(), err
		}
		v, _ := c.Recv.Obj().Get(k)
		return v, nil
	}),
	"insert": write(func(c *interp.Call) (interp.Value, error) {
		k, err := argString(c, 0, errObjInsert)
		v, ok := c.Args.At(1)
		if err != nil || !ok {
			return nullValue(), c.Errorf(errObjInsert)
		}
		c.Recv.Obj().Set(k, v.Clone())
		return nullValue(), nil
	}),
	"assign": write(func(c *interp.Call) (interp.Value, error) {
		other, ok := c.Args.At(0)
		if !ok || other.Kind() != interp.Object {
			return nullValue(), c.Errorf(errObjAssign)
		}
		for k, v := range other.Obj().All() {
			c.Recv.Obj().Set(k, v.Clone())
		}
		return nullValue(), nil
	}),
	"remove": write(func(c *interp.Call) (interp.Value, error) {
		k, err := argString(c, 0, errObjRemove)
		if err != nil {
			return nullValue(), err
		}
		v, _ := c.Recv.Obj().Get(k)
		c.Recv.Obj().Delete(k)
		return v, nil
	}),
	"to_yaml": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "to_yaml() => string"); err != nil {
			return nullValue(), err
		}
		return str(toYAML(c.Recv)), nil
	}),
	"to_xml": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "to_xml() => string"); err != nil {
			return nullValue(), err
		}
		s, ok := toXML(c.Recv)
		if !ok {
			return nullValue(), c.Errorf("Object can not be converted to xml")
		}
		return str(s), nil
	}),
	"clear_values": write(func(c *interp.Call) (interp.Value, error) {
		o := c.Recv.Obj()
		for _, k := range o.Keys() {
			o.Set(k, nullValue())
		}
		return nullValue(), nil
	}),
}
