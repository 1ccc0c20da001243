package interp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"switchboard/csml/syntax"
)

// Component is a component spec (the reference's generic component JSON
// {"params": [{name: {required, type, default_value, add_value}}, ...]}).
// Build expands a call into the component's value.
type Component struct {
	// ContentType is the built value's content type ("button"...).
	ContentType string
	Params      []Param
	// Err is a problem of the spec, reported when the component is built.
	Err string
}

// Param is one parameter of a component.
type Param struct {
	Name     string
	Required bool
	// Type is "Null", "Bool", "Number", "String", "Array" or "Object"; the
	// parameter's value starts as that type's zero value.
	Type    string
	Default Actions
	Add     Actions
}

// Actions are a default_value or add_value list: each element either reads
// another parameter ($_get) or adds a constant ($_set).
type Actions struct {
	Present bool
	IsArray bool
	List    []Action
}

// Action is one {"$_get": "param"} or {"$_set": value}.
type Action struct {
	Get    string
	Set    Value
	HasSet bool
}

const errCircular = "GENERIC_COMPONENT_CIRCULAR_DEPENDENCY"

// exists is the reference's actions_exist: whether the parameter has a value
// when it is not given.
func (p *Param) exists() bool {
	d, a := p.Default, p.Add
	switch {
	case d.Present && a.Present:
		switch {
		case d.IsArray && a.IsArray:
			return len(d.List) > 0 || len(a.List) > 0
		case d.IsArray:
			return len(d.List) > 0
		case a.IsArray:
			return len(a.List) > 0
		}
		return false
	case d.Present:
		return !d.IsArray || len(d.List) > 0
	case a.Present:
		return !a.IsArray || len(a.List) > 0
	}
	return false
}

// builder is one expansion of a component. slots hold, per parameter, its
// memoized value and the generation of the dependency walk that last visited
// it (to detect circular $_get).
type builder struct {
	c     *Component
	args  Args
	slots []slot
	gen   int
}

type slot struct {
	val   Value
	memo  bool
	visit int
}

// Build expands a component call. Positional arguments fill parameters in
// order, named ones by name; named arguments that are not parameters are
// copied into the result. The error is the reference's message.
func (c *Component) Build(args Args) (Value, string) {
	if c.Err != "" {
		return Value{}, c.Err
	}
	var buf [8]slot
	b := &builder{c: c, args: args, slots: buf[:0]}
	if len(c.Params) > len(buf) {
		b.slots = make([]slot, 0, len(c.Params))
	}
	b.slots = b.slots[:len(c.Params)]
	result := NewObject(len(c.Params) + args.Len())
	for i, p := range c.Params {
		if b.slots[i].memo {
			result.Set(p.Name, b.slots[i].val)
			continue
		}
		b.gen++
		v, ok, msg := b.object(i)
		if msg != "" {
			return Value{}, msg
		}
		if ok {
			result.Set(p.Name, v)
		}
	}
	if !args.Named && args.Len() > len(c.Params) {
		return Value{}, "to many arguments"
	}
	if args.Named {
		for _, a := range args.list {
			name := a.name
			switch {
			case name == "" && a.index == 0:
				continue
			case name == "":
				name = "arg" + strconv.Itoa(a.index)
			}
			if c.param(name) < 0 {
				result.Set(name, a.v)
			}
		}
	}
	if c.ContentType == "text" {
		v, _ := result.Get("text")
		return v.WithContentType("text"), ""
	}
	return ObjectValue(result).WithContentType(c.ContentType), ""
}

func (c *Component) param(name string) int {
	for i, p := range c.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// object computes parameter i: the argument given plus its add_value, or
// its default_value plus add_value; ok is false when it has no value.
func (b *builder) object(i int) (Value, bool, string) {
	b.slots[i].visit = b.gen
	p := &b.c.Params[i]
	if arg, ok := b.args.Get(p.Name, i); ok {
		add, _, msg := b.actions(p, p.Add)
		if msg != "" {
			return Value{}, false, msg
		}
		v := plain(arg)
		msg = addTo(&v, add, false)
		return v, msg == "", msg
	}
	if p.Required {
		return Value{}, false, p.Name + " is a required parameter"
	}
	if !p.exists() {
		return Value{}, false, ""
	}
	v, owned, msg := b.actions(p, p.Default)
	if msg != "" {
		return Value{}, false, msg
	}
	add, addOwned, msg := b.actions(p, p.Add)
	if msg != "" {
		return Value{}, false, msg
	}
	if v.kind == Array && len(v.arr.Items) == 0 && add.kind == Array && addOwned {
		return add, true, ""
	}
	msg = addTo(&v, add, owned)
	return v, msg == "", msg
}

// actions starts from the parameter type's zero value and adds each $_get
// and $_set of list. owned tells whether the result may be changed in
// place (an empty array is shared).
func (b *builder) actions(p *Param, list Actions) (Value, bool, string) {
	result, msg := zeroOf(p.Type, len(list.List))
	if msg != "" {
		return Value{}, false, msg
	}
	for _, a := range list.List {
		if a.Get != "" {
			if msg := b.get(a.Get, &result); msg != "" {
				return Value{}, false, msg
			}
		}
		if a.HasSet {
			if msg := addTo(&result, a.Set, true); msg != "" {
				return Value{}, false, msg
			}
		}
	}
	return result, result.kind != Array || result.arr != emptyArray, ""
}

// get adds the value of parameter name to result, computing it once.
func (b *builder) get(name string, result *Value) string {
	i := b.c.param(name)
	if i < 0 {
		return ""
	}
	s := &b.slots[i]
	if !s.memo {
		if s.visit == b.gen {
			return errCircular
		}
		v, ok, msg := b.object(i)
		if msg != "" || !ok {
			return msg
		}
		s = &b.slots[i]
		s.val, s.memo = v, true
	}
	return addTo(result, s.val, true)
}

// emptyArray is the shared zero value of Array parameters; it is never
// changed in place.
var emptyArray = &ArrayData{}

// zeroOf is a type's starting value; n is room for the values to add.
func zeroOf(t string, n int) (Value, string) {
	switch t {
	case "Null":
		return Value{}, ""
	case "Bool":
		return BoolValue(false), ""
	case "Number":
		return IntValue(0), ""
	case "String":
		return StringValue(""), ""
	case "Array":
		if n == 0 {
			return Value{kind: Array, arr: emptyArray}, ""
		}
		return ArrayValue(make([]Value, 0, n)), ""
	case "Object":
		return ObjectValue(NewObject(0)), ""
	case "":
		return Value{}, "type value must exist on all keys"
	}
	return Value{}, fmt.Sprintf("type '%s' is unknown", t)
}

// plain is a value as the reference's to_json then json_to_literal leave
// it: nested values with a non-plain content type wrapped as
// {"content_type", "content"}, content types dropped. Values needing no
// wrapping are shared, not copied (they are only read).
func plain(v Value) Value {
	switch v.kind {
	case Array:
		if !needsWrap(v) {
			return Value{kind: Array, arr: v.arr}
		}
		items := make([]Value, len(v.arr.Items))
		for i, it := range v.arr.Items {
			items[i] = plainNested(it)
		}
		return ArrayValue(items)
	case Object:
		if !needsWrap(v) {
			return Value{kind: Object, obj: v.obj}
		}
		o := NewObject(v.obj.Len())
		for k, x := range v.obj.All() {
			o.Set(k, plainNested(x))
		}
		return ObjectValue(o)
	case Float:
		if f := v.Float(); f != f || f > maxFloat || f < -maxFloat {
			return Value{}
		}
	case Closure:
		return Value{}
	}
	return Value{kind: v.kind, n: v.n, s: v.s}
}

// needsWrap reports whether some value inside v has a non-plain content
// type (or is a value JSON cannot hold).
func needsWrap(v Value) bool {
	check := func(x Value) bool {
		return !isPlainType(x.ContentType()) || needsWrap(x) ||
			(x.kind == Float && (x.Float() != x.Float() || x.Float() > maxFloat || x.Float() < -maxFloat))
	}
	switch v.kind {
	case Array:
		for _, it := range v.arr.Items {
			if check(it) {
				return true
			}
		}
	case Object:
		for _, e := range v.obj.entries {
			if check(e.val) {
				return true
			}
		}
	}
	return false
}

const maxFloat = 1.7976931348623157e308

func plainNested(v Value) Value {
	if ct := v.ContentType(); !isPlainType(ct) {
		o := NewObject(2)
		o.Set("content_type", StringValue(ct))
		o.Set("content", plain(v))
		return ObjectValue(o)
	}
	return plain(v)
}

// jsonTypeName names a plain value's JSON type in component errors.
func jsonTypeName(v Value) string {
	switch v.kind {
	case Null:
		return "Null"
	case Bool:
		return "Bool"
	case Int, Float:
		return "Number"
	case String:
		return "String"
	case Array:
		return "Array"
	}
	return "Object"
}

// addTo is the components' "add" of v into *dst: string concatenation,
// array append (a string is pushed), object merge, number addition,
// boolean or. An array in *dst is appended to in place only when owned
// (made by the builder); v is only read.
func addTo(dst *Value, v Value, owned bool) string {
	l := *dst
	if l.kind == Array && v.kind == Array && len(v.arr.Items) == 0 {
		return ""
	}
	if l.kind == Array && !owned {
		l.arr = &ArrayData{Items: slices.Clip(l.arr.Items)}
	}
	switch {
	case l.kind == Null && v.kind == Null:
	case l.kind == Bool && v.kind == Bool:
		*dst = BoolValue(l.Bool() || v.Bool())
	case (l.kind == Int || l.kind == Float) && (v.kind == Int || v.kind == Float):
		if l.kind == Int && v.kind == Int {
			if sum, msg := intArith(syntax.OpAdd, l.n, v.n); msg == "" {
				*dst = sum
				return ""
			}
		}
		a, b := asFloat(l), asFloat(v)
		if _, msg := intArith(syntax.OpAdd, truncate(a), truncate(b)); msg != "" || a+b > maxFloat || a+b < -maxFloat {
			return "Illegal operation: overflow"
		}
		*dst = FloatValue(a + b)
	case l.kind == String && v.kind == String:
		*dst = StringValue(l.s + v.s)
	case l.kind == Array && v.kind == Array:
		l.arr.Items = append(l.arr.Items, v.arr.Items...)
		*dst = l
	case l.kind == Array && v.kind == String:
		l.arr.Items = append(l.arr.Items, v)
		*dst = l
	case l.kind == Object && v.kind == Object:
		o := l.obj.Clone()
		for k, x := range v.obj.All() {
			o.Set(k, x)
		}
		*dst = ObjectValue(o)
	case l.kind == String && v.kind == Array:
		*dst = ArrayValue(append(append(make([]Value, 0, len(v.arr.Items)+1), v.arr.Items...), l))
	default:
		return "Type Error expecting " + jsonTypeName(v) + " type but " + jsonTypeName(l) + " type was found"
	}
	return ""
}

// contentTypeOf is the content type a component named name builds.
func contentTypeOf(name string, custom bool) string {
	if custom {
		return "Component." + strings.ToLower(name)
	}
	return strings.ToLower(name)
}
