package interp

import (
	"math"
	"strings"

	"switchboard/csml/syntax"
)

// Operator semantics follow the reference primitive by primitive (see
// csml.md §3), including its quirks: int / int is a float when not exact,
// float operations check overflow on the operands truncated to i64, numeric
// strings take part in arithmetic and comparisons.

const (
	errIllegal    = "illegal operation:"
	errOverflow   = "overflowing operation:"
	errDivZeroInt = "[!] Int: Division by zero"
	errDivZeroFlt = "[!] Float: Division by zero"
	maxInt64AsF64 = 9223372036854775807.0
	minInt64AsF64 = -9223372036854775808.0
)

// Numeric is the reference's get_integer: a string read as an i64, else as
// an f64.
func Numeric(s string) (Value, bool) {
	if n, ok := syntax.ParseInt(s); ok {
		return IntValue(n), true
	}
	if f, ok := syntax.ParseFloat(s); ok {
		return FloatValue(f), true
	}
	return Value{}, false
}

// truncate is Rust's `f as i64`: saturating, NaN is 0.
func truncate(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= maxInt64AsF64:
		return math.MaxInt64
	case f <= minInt64AsF64:
		return math.MinInt64
	}
	return int64(f)
}

func opError(kind string, op syntax.Op, l, r Kind) string {
	return kind + " " + primitiveNames[l] + " " + op.String() + " " + primitiveNames[r]
}

// Arith applies + - * / % to l and r. The error is the reference's
// message; arithmetic errors are fatal to the caller.
func Arith(op syntax.Op, l, r Value) (Value, string) {
	switch {
	case l.kind == r.kind:
		switch l.kind {
		case Int:
			return intArith(op, l.n, r.n)
		case Float:
			return floatArith(op, l.Float(), r.Float())
		case String:
			return stringArith(op, l.s, r.s)
		}
	case l.kind == Int && r.kind == Float:
		return floatArith(op, float64(l.n), r.Float())
	case l.kind == Float && r.kind == Int:
		return floatArith(op, l.Float(), float64(r.n))
	case l.kind == String && (r.kind == Int || r.kind == Float):
		if n, ok := Numeric(l.s); ok {
			return Arith(op, n, r)
		}
	case r.kind == String && (l.kind == Int || l.kind == Float):
		if n, ok := Numeric(r.s); ok {
			return Arith(op, l, n)
		}
	}
	return Value{}, opError(errIllegal, op, l.kind, r.kind)
}

func intArith(op syntax.Op, a, b int64) (Value, string) {
	overflow := func() (Value, string) { return Value{}, opError(errOverflow, op, Int, Int) }
	switch op {
	case syntax.OpAdd:
		s := a + b
		if (s > a) != (b > 0) {
			return overflow()
		}
		return IntValue(s), ""
	case syntax.OpSub:
		s := a - b
		if (s < a) != (b > 0) {
			return overflow()
		}
		return IntValue(s), ""
	case syntax.OpMul:
		if a != 0 && b != 0 {
			p := a * b
			if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
				return overflow()
			}
			return IntValue(p), ""
		}
		return IntValue(0), ""
	case syntax.OpDiv:
		if b == 0 {
			return Value{}, errDivZeroInt
		}
		if a == math.MinInt64 && b == -1 {
			return overflow()
		}
		if a%b != 0 {
			return FloatValue(float64(a) / float64(b)), ""
		}
		return IntValue(a / b), ""
	case syntax.OpRem:
		if b == 0 || (a == math.MinInt64 && b == -1) {
			return overflow()
		}
		return IntValue(a % b), ""
	}
	return Value{}, opError(errIllegal, op, Int, Int)
}

// floatArith checks the operation on the operands truncated to i64 first, as
// the reference does, which makes x / 0.5 an overflow.
func floatArith(op syntax.Op, a, b float64) (Value, string) {
	if op == syntax.OpDiv && b == 0 {
		return Value{}, errDivZeroFlt
	}
	if _, err := intArith(op, truncate(a), truncate(b)); err != "" {
		return Value{}, opError(errOverflow, op, Float, Float)
	}
	switch op {
	case syntax.OpAdd:
		return FloatValue(a + b), ""
	case syntax.OpSub:
		return FloatValue(a - b), ""
	case syntax.OpMul:
		return FloatValue(a * b), ""
	case syntax.OpDiv:
		return FloatValue(a / b), ""
	}
	return FloatValue(math.Mod(a, b)), ""
}

// stringArith is string ∘ string: numeric strings compute (for + only when
// the left one is numeric, else it concatenates).
func stringArith(op syntax.Op, a, b string) (Value, string) {
	l, lok := Numeric(a)
	r, rok := Numeric(b)
	if op == syntax.OpAdd && !lok {
		return StringValue(a + b), ""
	}
	if !lok || !rok {
		return Value{}, opError(errIllegal, op, String, String)
	}
	if l.kind == Int && r.kind == Int {
		x, y := l.n, r.n
		switch op {
		case syntax.OpAdd:
			return IntValue(x + y), ""
		case syntax.OpSub:
			return IntValue(x - y), ""
		case syntax.OpMul:
			return IntValue(x * y), ""
		case syntax.OpDiv:
			if y == 0 {
				return Value{}, errDivZeroInt
			}
			if x == math.MinInt64 && y == -1 {
				return Value{}, opError(errOverflow, op, Int, Int)
			}
			return IntValue(x / y), ""
		}
		if y == 0 || (x == math.MinInt64 && y == -1) {
			return Value{}, opError(errOverflow, op, Int, Int)
		}
		return IntValue(x % y), ""
	}
	x, y := asFloat(l), asFloat(r)
	switch op {
	case syntax.OpAdd:
		return FloatValue(x + y), ""
	case syntax.OpSub:
		return FloatValue(x - y), ""
	case syntax.OpMul:
		return FloatValue(x * y), ""
	case syntax.OpDiv:
		if truncate(y) == 0 {
			return Value{}, errDivZeroInt
		}
		return FloatValue(x / y), ""
	}
	if l.kind == Float && r.kind == Int {
		return FloatValue(x * y), "" // the reference multiplies here
	}
	return FloatValue(math.Mod(x, y)), ""
}

func asFloat(v Value) float64 {
	if v.kind == Int {
		return float64(v.n)
	}
	return v.Float()
}

// Equal is ==: same types compare by value, ints and floats numerically,
// numeric strings against numbers numerically.
func Equal(l, r Value) bool {
	if l.kind == r.kind {
		return SameEqual(l, r)
	}
	switch {
	case l.kind == Int && r.kind == Float:
		return float64(l.n) == r.Float()
	case l.kind == Float && r.kind == Int:
		return l.Float() == float64(r.n)
	case l.kind == String && (r.kind == Int || r.kind == Float):
		n, ok := Numeric(l.s)
		return ok && numEqual(n, r)
	case r.kind == String && (l.kind == Int || l.kind == Float):
		n, ok := Numeric(r.s)
		return ok && numEqual(l, n)
	}
	return false
}

func numEqual(a, b Value) bool {
	if a.kind == Int && b.kind == Int {
		return a.n == b.n
	}
	return asFloat(a) == asFloat(b)
}

// SameEqual is the reference's is_eq, used directly for array items and
// object values: only values of the same type are equal.
func SameEqual(l, r Value) bool {
	if l.kind != r.kind {
		return false
	}
	switch l.kind {
	case Null:
		return true
	case Bool, Int:
		return l.n == r.n
	case Float:
		return l.Float() == r.Float()
	case String:
		a, aok := Numeric(l.s)
		b, bok := Numeric(r.s)
		if aok && bok && a.kind != b.kind {
			return asFloat(a) == asFloat(b)
		}
		return l.s == r.s
	case Array:
		if len(l.arr.Items) != len(r.arr.Items) {
			return false
		}
		for i := range l.arr.Items {
			if !SameEqual(l.arr.Items[i], r.arr.Items[i]) {
				return false
			}
		}
		return true
	case Object:
		if l.obj.Len() != r.obj.Len() {
			return false
		}
		for _, e := range l.obj.entries {
			v, ok := r.obj.Get(e.key)
			if !ok || !SameEqual(e.val, v) {
				return false
			}
		}
		return true
	}
	return false
}

// Compare orders l and r: -1, 0 or 1, and false when they do not compare
// (then every ordering operator is false).
func Compare(l, r Value) (int, bool) {
	if l.kind == r.kind {
		return sameCompare(l, r)
	}
	switch {
	case l.kind == Int && r.kind == Float, l.kind == Float && r.kind == Int:
		return cmpFloat(asFloat(l), asFloat(r))
	case l.kind == String && (r.kind == Int || r.kind == Float):
		if n, ok := Numeric(l.s); ok {
			return numCompare(n, r)
		}
	case r.kind == String && (l.kind == Int || l.kind == Float):
		if n, ok := Numeric(r.s); ok {
			return numCompare(l, n)
		}
	}
	return 0, false
}

func numCompare(a, b Value) (int, bool) {
	if a.kind == Int && b.kind == Int {
		return cmpInt(a.n, b.n), true
	}
	return cmpFloat(asFloat(a), asFloat(b))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) (int, bool) {
	switch {
	case a < b:
		return -1, true
	case a > b:
		return 1, true
	case a == b:
		return 0, true
	}
	return 0, false
}

func sameCompare(l, r Value) (int, bool) {
	switch l.kind {
	case Null:
		return 0, true
	case Bool, Int:
		return cmpInt(l.n, r.n), true
	case Float:
		return cmpFloat(l.Float(), r.Float())
	case String:
		a, aok := Numeric(l.s)
		b, bok := Numeric(r.s)
		if aok && bok && a.kind != b.kind {
			return cmpFloat(asFloat(a), asFloat(b))
		}
		return strings.Compare(l.s, r.s), true
	case Array:
		for i := 0; i < len(l.arr.Items) && i < len(r.arr.Items); i++ {
			c, ok := Compare(l.arr.Items[i], r.arr.Items[i])
			if !ok || c != 0 {
				return c, ok
			}
		}
		return cmpInt(int64(len(l.arr.Items)), int64(len(r.arr.Items))), true
	}
	return 0, false
}

// Match is the match operator: buttons and objects match through their
// accepts arrays, an array matches a scalar it contains (strings without
// case), anything else compares with ==.
func Match(l, r Value) bool {
	lct, rct := l.ContentType(), r.ContentType()
	lobj := lct == "button" || lct == "object"
	robj := rct == "button" || rct == "object"
	switch {
	case lobj && robj:
		a, aok := accepts(l)
		b, bok := accepts(r)
		return aok && bok && Match(a, b)
	case robj:
		b, ok := accepts(r)
		return ok && Match(l, b)
	case lobj:
		a, ok := accepts(l)
		return ok && Match(a, r)
	case lct == "array" && rct == "array":
		return SameEqual(l, r)
	case rct == "array":
		return contains(r, l)
	case lct == "array":
		return contains(l, r)
	}
	return Equal(l, r)
}

func accepts(v Value) (Value, bool) {
	if v.kind != Object {
		return Value{}, false
	}
	return v.obj.Get("accepts")
}

func contains(arr, key Value) bool {
	if arr.kind != Array {
		return false
	}
	for _, it := range arr.arr.Items {
		if key.kind == String {
			if it.kind == String && asciiLower(it.s) == asciiLower(key.s) {
				return true
			}
			continue
		}
		if SameEqual(it, key) {
			return true
		}
	}
	return false
}

// asciiLower lowercases ASCII letters only, as Rust's to_ascii_lowercase.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
