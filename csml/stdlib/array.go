package stdlib

import (
	"strings"

	"switchboard/csml/interp"
)

const (
	errArrayNegative = "index must be positive. Udage: array[1]"
	errArrayIndex    = "index must be lower than or equal to array.length()"
	errArrayPop      = "[pop] Cannot pop if array is empty"
	errInsertAt      = "[insert_at] takes two arguments. Usage: array.insert_at(1, elem)"
	errInsertAtInt   = "[insert_at] first parameter must be of type int. Usage: array.insert_at(1, elem)"
	errRemoveAt      = "[remove_at] takes one parameter of type Int. Usage: array.remove_at(1) "
	errJoin          = "[join] takes one parameter of type String. Usage: array.join(\"elem\") "
	errIndexOf       = "[index_of] takes one parameter. Usage: array.index_of(elem)"
	errFind          = "[find] takes one parameter. Usage: array.find(elem)"
)

// arrayMethods are the methods of arrays (the reference's array.rs).
// Values an array stores are copies.
var arrayMethods = map[string]interp.Method{
	"length": read(func(c *interp.Call) (interp.Value, error) {
		return integer(len(c.Recv.Items())), noArgs(c, "length() => int")
	}),
	"is_empty": read(func(c *interp.Call) (interp.Value, error) {
		return boolean(len(c.Recv.Items()) == 0), noArgs(c, "is_empty() => boolean")
	}),
	"push": write(func(c *interp.Call) (interp.Value, error) {
		v, ok := c.Args.At(0)
		if !ok || c.Args.Len() != 1 {
			return nullValue(), c.Errorf("usage: push(value) => null")
		}
		c.Recv.SetItems(append(c.Recv.Items(), v.Clone()))
		return nullValue(), nil
	}),
	"pop": write(func(c *interp.Call) (interp.Value, error) {
		items := c.Recv.Items()
		if len(items) == 0 {
			return nullValue(), c.Errorf(errArrayPop)
		}
		c.Recv.SetItems(items[:len(items)-1])
		return items[len(items)-1], nil
	}),
	"insert_at": write(func(c *interp.Call) (interp.Value, error) {
		if c.Args.Len() != 2 {
			return nullValue(), c.Errorf(errInsertAt)
		}
		i, err := argInt(c, 0, errInsertAtInt)
		if err != nil {
			return nullValue(), err
		}
		items := c.Recv.Items()
		if err := checkIndex(c, i, len(items)); err != nil {
			return nullValue(), err
		}
		v, _ := c.Args.At(1)
		items = append(items, interp.Value{})
		copy(items[i+1:], items[i:])
		items[i] = v.Clone()
		c.Recv.SetItems(items)
		return nullValue(), nil
	}),
	"remove_at": write(func(c *interp.Call) (interp.Value, error) {
		i, err := argInt(c, 0, errRemoveAt)
		if err != nil || c.Args.Len() != 1 {
			return nullValue(), c.Errorf(errRemoveAt)
		}
		items := c.Recv.Items()
		if err := checkIndex(c, i, len(items)); err != nil {
			return nullValue(), err
		}
		if i == int64(len(items)) {
			return nullValue(), c.Errorf(errArrayIndex)
		}
		removed := items[i]
		c.Recv.SetItems(append(items[:i], items[i+1:]...))
		return removed, nil
	}),
	"shuffle": write(func(c *interp.Call) (interp.Value, error) {
		items := c.Recv.Items()
		c.Rand().Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		return interp.ArrayValue(append([]interp.Value(nil), items...)), nil
	}),
	"join": read(func(c *interp.Call) (interp.Value, error) {
		sep, err := argString(c, 0, errJoin)
		if err != nil {
			return nullValue(), err
		}
		parts := make([]string, len(c.Recv.Items()))
		for i, it := range c.Recv.Items() {
			parts[i] = interp.ToString(it)
		}
		return str(strings.Join(parts, sep)), nil
	}),
	"index_of": read(func(c *interp.Call) (interp.Value, error) {
		v, ok := c.Args.At(0)
		if !ok || c.Args.Len() != 1 {
			return nullValue(), c.Errorf(errIndexOf)
		}
		for i, it := range c.Recv.Items() {
			if interp.SameEqual(it, v) {
				return integer(i), nil
			}
		}
		return integer(-1), nil
	}),
	"find": read(func(c *interp.Call) (interp.Value, error) {
		v, ok := c.Args.At(0)
		if !ok {
			return nullValue(), c.Errorf(errFind)
		}
		found := []interp.Value{}
		for _, it := range c.Recv.Items() {
			if interp.SameEqual(it, v) {
				found = append(found, it)
			}
		}
		return interp.ArrayValue(found), nil
	}),
	"one_of": read(func(c *interp.Call) (interp.Value, error) {
		items := c.Recv.Items()
		if len(items) == 0 {
			return nullValue(), nil
		}
		return items[c.Rand().IntN(len(items))], nil
	}),
	"slice": read(func(c *interp.Call) (interp.Value, error) {
		items := c.Recv.Items()
		start, end, err := sliceBounds(c, len(items))
		if err != nil {
			return nullValue(), err
		}
		return interp.ArrayValue(append([]interp.Value(nil), items[start:end]...)), nil
	}),
	"reverse": read(func(c *interp.Call) (interp.Value, error) {
		items := c.Recv.Items()
		out := make([]interp.Value, len(items))
		for i, it := range items {
			out[len(items)-1-i] = it
		}
		return interp.ArrayValue(out), nil
	}),
	"append": read(func(c *interp.Call) (interp.Value, error) {
		other, ok := c.Args.At(0)
		if !ok || other.Kind() != interp.Array {
			return nullValue(), c.Errorf(errInsertAt)
		}
		return interp.ArrayValue(append(append([]interp.Value(nil), c.Recv.Items()...), other.Items()...)), nil
	}),
	"flatten": read(func(c *interp.Call) (interp.Value, error) {
		var out []interp.Value
		for _, it := range c.Recv.Items() {
			if it.Kind() == interp.Array {
				out = append(out, it.Items()...)
			} else {
				out = append(out, it)
			}
		}
		return interp.ArrayValue(out), nil
	}),
	"init": read(func(c *interp.Call) (interp.Value, error) {
		n, err := argInt(c, 0, errInsertAt)
		if err != nil || n < 0 || n > 1<<16 {
			return nullValue(), c.Errorf(errInsertAt)
		}
		return interp.ArrayValue(make([]interp.Value, n)), nil
	}),
	"map": read(func(c *interp.Call) (interp.Value, error) {
		fn, ok := c.Args.At(0)
		if !ok {
			return nullValue(), c.Errorf("usage: map(fn) => array")
		}
		out := make([]interp.Value, 0, len(c.Recv.Items()))
		for i, it := range c.Recv.Items() {
			v, err := c.Invoke(fn, closureArgs(fn, 1, it, integer(i))...)
			if err != nil {
				return nullValue(), err
			}
			out = append(out, v)
		}
		return interp.ArrayValue(out), nil
	}),
	"filter": read(func(c *interp.Call) (interp.Value, error) {
		fn, ok := c.Args.At(0)
		if !ok {
			return nullValue(), c.Errorf("usage: filter(fn) => array")
		}
		var out []interp.Value
		for i, it := range c.Recv.Items() {
			v, err := c.Invoke(fn, closureArgs(fn, 1, it, integer(i))...)
			if err != nil {
				return nullValue(), err
			}
			if v.Truthy() {
				out = append(out, it)
			}
		}
		return interp.ArrayValue(out), nil
	}),
	"reduce": read(func(c *interp.Call) (interp.Value, error) {
		acc, ok1 := c.Args.At(0)
		fn, ok2 := c.Args.At(1)
		if !ok1 || !ok2 {
			return nullValue(), c.Errorf("usage: reduce(acc, fn) => value")
		}
		for i, it := range c.Recv.Items() {
			v, err := c.Invoke(fn, closureArgs(fn, 2, acc, it, integer(i))...)
			if err != nil {
				return nullValue(), err
			}
			acc = v
		}
		return acc, nil
	}),
}

// closureArgs passes the index only to closures that take it (the first n
// arguments always).
func closureArgs(fn interp.Value, n int, args ...interp.Value) []interp.Value {
	if cl := fn.Closure(); cl != nil && len(cl.Params) > n {
		return args
	}
	return args[:n]
}

func checkIndex(c *interp.Call, i int64, n int) error {
	switch {
	case i < 0:
		return c.Errorf(errArrayNegative)
	case i > int64(n):
		return c.Errorf(errArrayIndex)
	}
	return nil
}
