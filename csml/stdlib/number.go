package stdlib

import (
	"math"
	"strconv"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

const errPow = "[pow] takes one parameter of type int or float usage: number.pow(42)"

// numberMethods are the methods of ints and floats. On an int, the result
// of cos, sin, tan, sqrt and pow is an int when it is integral (as in the
// reference); abs, ceil, floor and round give ints. On a float they give
// floats.
var numberMethods = map[string]interp.Method{
	"abs":   unary("abs() => number", math.Abs, false),
	"ceil":  unary("ceil() => number", math.Ceil, false),
	"floor": unary("floor() => number", math.Floor, false),
	"round": unary("round() => number", round, false),
	"cos":   unary("cos() => number", math.Cos, true),
	"sin":   unary("sin() => number", math.Sin, true),
	"tan":   unary("tan() => number", math.Tan, true),
	"sqrt":  unary("sqrt() => number", math.Sqrt, true),
	"pow": read(func(c *interp.Call) (interp.Value, error) {
		if c.Args.Len() != 1 {
			return nullValue(), c.Errorf("usage: pow(exponent: number) => number")
		}
		e, _ := c.Args.At(0)
		var exp float64
		switch e.Kind() {
		case interp.Int:
			exp = float64(e.Int())
		case interp.Float:
			exp = e.Float()
		case interp.String:
			f, ok := syntax.ParseFloat(e.Str())
			if !ok {
				return nullValue(), c.Errorf(errPow)
			}
			exp = f
		default:
			return nullValue(), c.Errorf(errPow)
		}
		return numberResult(c.Recv, math.Pow(asFloat(c.Recv), exp), true), nil
	}),
	"precision": read(func(c *interp.Call) (interp.Value, error) {
		if c.Recv.Kind() == interp.Int {
			return c.Recv, nil
		}
		n, err := argInt(c, 0, "usage: precision(value: int) => float")
		if err != nil {
			return nullValue(), err
		}
		f, err2 := strconv.ParseFloat(strconv.FormatFloat(c.Recv.Float(), 'f', int(max(n, 0)), 64), 64)
		if err2 != nil {
			f = c.Recv.Float()
		}
		return interp.FloatValue(f), nil
	}),
	"to_int": read(func(c *interp.Call) (interp.Value, error) {
		if c.Recv.Kind() == interp.Float {
			return interp.IntValue(int64(saturate(c.Recv.Float()))), nil
		}
		return interp.IntValue(c.Recv.Int()), nil
	}),
	"to_float": read(func(c *interp.Call) (interp.Value, error) {
		return interp.FloatValue(asFloat(c.Recv)), nil
	}),
}

func asFloat(v interp.Value) float64 {
	if v.Kind() == interp.Int {
		return float64(v.Int())
	}
	return v.Float()
}

// round rounds half away from zero, as Rust's f64::round.
func round(f float64) float64 { return math.Round(f) }

// saturate converts like Rust's `as i64`: NaN is 0, out of range clamps.
func saturate(f float64) float64 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return f
}

// numberResult is the result of a computation on recv: on an int receiver,
// an int (when integralOnly, only if the result is integral).
func numberResult(recv interp.Value, f float64, integralOnly bool) interp.Value {
	if recv.Kind() == interp.Int {
		if i := int64(saturate(f)); !integralOnly || float64(i) == f {
			return interp.IntValue(i)
		}
	}
	return interp.FloatValue(f)
}

func unary(usage string, fn func(float64) float64, integralOnly bool) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, usage); err != nil {
			return nullValue(), err
		}
		return numberResult(c.Recv, fn(asFloat(c.Recv)), integralOnly), nil
	})
}
