// Package interp runs compiled CSML flows: values and their reference
// semantics (operators, stringification, JSON and memory formats), the
// evaluator, the step loop with its hold, step and cancellation budgets, and
// the built-in components. It reaches the outside world only through what
// its caller passes in.
package interp

import (
	"math"

	"switchboard/csml/syntax"
)

// Kind is a value's runtime type.
type Kind uint8

// Value kinds, named as type_of() reports them.
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	Array
	Object
	Closure
)

var kindNames = [...]string{"null", "boolean", "int", "float", "string", "array", "object", "closure"}

// String is the name type_of() and content types use.
func (k Kind) String() string { return kindNames[k] }

// primitiveNames are the names the reference's error messages use.
var primitiveNames = [...]string{"PrimitiveNull", "PrimitiveBoolean", "PrimitiveInt", "PrimitiveFloat", "PrimitiveString", "PrimitiveArray", "PrimitiveObject", "PrimitiveClosure"}

// TypeName is the name "is not a method of" errors use.
func (k Kind) TypeName() string {
	return [...]string{"Null", "Boolean", "Int", "Float", "String", "Array", "Object", "Closure"}[k]
}

// Value is a CSML value. Arrays and objects are shared by reference inside a
// value; the interpreter clones them whenever a value is stored, so that
// every variable owns its data as in the reference's copy semantics.
type Value struct {
	kind   Kind
	secure bool
	n      int64 // Int, Bool as 0/1, Float as its bits
	s      string
	arr    *ArrayData
	obj    *ObjectData
	// ctype is the content type tag ("text", "button", "event"...); empty
	// means the kind's own name.
	ctype string
	// x holds what few values have: a closure, additional info.
	x *extra
}

// extra is the rarely used part of a value.
type extra struct {
	fn *ClosureData
	// info is the reference's additional info (e.g. {"error": ...}).
	info *ObjectData
}

// ArrayData holds an array's items.
type ArrayData struct{ Items []Value }

// closureValue returns a closure.
func closureValue(fn *ClosureData) Value { return Value{kind: Closure, x: &extra{fn: fn}} }

// ClosureData is a closure: its parameters, body and the variables it
// captured when it was stored.
type ClosureData struct {
	Params   []string
	Body     *syntax.Block
	Captured *ObjectData
	// Src is the closure's source, written in memories to restore it.
	Src string
}

// Constructors.

// NullValue returns null.
func NullValue() Value { return Value{} }

// BoolValue returns a boolean.
func BoolValue(b bool) Value {
	v := Value{kind: Bool}
	if b {
		v.n = 1
	}
	return v
}

// IntValue returns an int.
func IntValue(n int64) Value { return Value{kind: Int, n: n} }

// FloatValue returns a float.
func FloatValue(f float64) Value { return Value{kind: Float, n: int64(math.Float64bits(f))} }

// StringValue returns a string.
func StringValue(s string) Value { return Value{kind: String, s: s} }

// TextValue returns a string tagged "text", as string literals are.
func TextValue(s string) Value { return Value{kind: String, s: s, ctype: "text"} }

// ArrayValue returns an array owning items.
func ArrayValue(items []Value) Value { return Value{kind: Array, arr: &ArrayData{Items: items}} }

// ObjectValue returns an object owning o.
func ObjectValue(o *ObjectData) Value { return Value{kind: Object, obj: o} }

// Accessors.

// Kind returns the value's runtime type.
func (v Value) Kind() Kind { return v.kind }

// Bool returns a boolean's value.
func (v Value) Bool() bool { return v.n != 0 }

// Int returns an int's value.
func (v Value) Int() int64 { return v.n }

// Float returns a float's value.
func (v Value) Float() float64 { return math.Float64frombits(uint64(v.n)) }

// Str returns a string's value.
func (v Value) Str() string { return v.s }

// Items returns an array's items (shared, not copied).
func (v Value) Items() []Value {
	if v.arr == nil {
		return nil
	}
	return v.arr.Items
}

// Obj returns an object's data (shared, not copied).
func (v Value) Obj() *ObjectData { return v.obj }

// Closure returns a closure's data.
func (v Value) Closure() *ClosureData {
	if v.x == nil {
		return nil
	}
	return v.x.fn
}

// Secure reports whether the value comes from a secure event.
func (v Value) Secure() bool { return v.secure }

// Info returns the value's additional info, or nil.
func (v Value) Info() *ObjectData {
	if v.x == nil {
		return nil
	}
	return v.x.info
}

// ContentType returns the value's content type.
func (v Value) ContentType() string {
	if v.ctype != "" {
		return v.ctype
	}
	return v.kind.String()
}

// WithContentType returns v tagged with ct.
func (v Value) WithContentType(ct string) Value {
	v.ctype = ct
	return v
}

// WithInfo returns v carrying the additional info o.
func (v Value) WithInfo(o *ObjectData) Value {
	x := extra{info: o}
	if v.x != nil {
		x.fn = v.x.fn
	}
	v.x = &x
	return v
}

// WithSecure returns v marked secure (or not).
func (v Value) WithSecure(secure bool) Value {
	v.secure = secure
	return v
}

// errorValue is the null an error leaves behind, with the error in its
// additional info (what is_error() and get_info() read).
func errorValue(msg string) Value {
	info := &ObjectData{}
	info.Set("error", StringValue(msg))
	return Value{x: &extra{info: info}}
}

// IsError reports whether v carries error info.
func (v Value) IsError() bool {
	if v.Info() == nil {
		return false
	}
	_, ok := v.Info().Get("error")
	return ok
}

// Clone returns a deep copy of v, so that the copy can be stored and
// mutated independently.
func (v Value) Clone() Value {
	switch v.kind {
	case Array:
		items := make([]Value, len(v.arr.Items))
		for i, it := range v.arr.Items {
			items[i] = it.Clone()
		}
		v.arr = &ArrayData{Items: items}
	case Object:
		v.obj = v.obj.Clone()
	}
	return v
}

// plainTypes are the content types that need no {"content", "content_type"}
// wrapping when nested in JSON (tokens.rs TYPES).
func isPlainType(ct string) bool {
	switch ct {
	case "closure", "object", "array", "text", "string", "int", "float", "boolean", "null":
		return true
	}
	return false
}

// Truthy is the reference's as_bool: null, false and closures are false,
// ints only when positive, floats when normal (non-zero, finite, not
// subnormal), strings, arrays and objects always true.
func (v Value) Truthy() bool {
	switch v.kind {
	case Bool:
		return v.n != 0
	case Int:
		return v.n > 0
	case Float:
		return isNormal(v.Float())
	case String, Array, Object:
		return true
	}
	return false
}

// SetItems replaces an array's items in place: every value sharing the
// array sees the change (write methods use it).
func (v Value) SetItems(items []Value) { v.arr.Items = items }
