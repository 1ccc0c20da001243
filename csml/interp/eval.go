package interp

import (
	"strings"

	"switchboard/csml/syntax"
)

// eval evaluates an expression. warn says whether reading an undefined
// variable or a missing key sends an error message: the reference turns
// warnings off in conditions and in the operands of every operator. The
// returned error is fatal to the run; non-fatal errors have already been
// sent as messages and evaluate to null.
func (r *run) eval(e syntax.Expr, warn bool) (Value, error) {
	switch e := e.(type) {
	case *syntax.NullLit:
		return Value{}, nil
	case *syntax.BoolLit:
		return BoolValue(e.Value), nil
	case *syntax.IntLit:
		return IntValue(e.Value), nil
	case *syntax.FloatLit:
		return FloatValue(e.Value), nil
	case *syntax.StringLit:
		return r.evalString(e)
	case *syntax.ArrayLit:
		items := make([]Value, len(e.Elems))
		secure := false
		for i, x := range e.Elems {
			v, err := r.eval(x, warn)
			if err != nil {
				return Value{}, err
			}
			items[i] = v
			secure = secure || v.secure
		}
		r.charge(valueSize * len(items))
		return ArrayValue(items).WithSecure(secure), nil
	case *syntax.ObjectLit:
		o := NewObject(len(e.Fields))
		secure := false
		for _, f := range e.Fields {
			v, err := r.eval(f.Value, warn)
			if err != nil {
				return Value{}, err
			}
			o.Set(f.Key, v)
			secure = secure || v.secure
		}
		r.charge(entrySize * len(e.Fields))
		return ObjectValue(o).WithSecure(secure), nil
	case *syntax.Ident:
		return r.variable(e, warn)
	case *syntax.Path:
		return r.evalPath(e, warn)
	case *syntax.Call:
		return r.call(e)
	case *syntax.Binary:
		return r.binary(e)
	case *syntax.Negation:
		v, err := r.eval(e.X, false)
		b := err == nil && v.Truthy()
		return BoolValue(b != (e.Count%2 == 1)), nil
	case *syntax.As:
		v, err := r.eval(e.X, warn)
		if err != nil {
			return Value{}, err
		}
		r.locals[e.Name] = r.capture(r.store(v))
		return v, nil
	case *syntax.Closure:
		return closureValue(&ClosureData{Params: e.Params, Body: e.Body, Src: e.Src}), nil
	}
	return Value{}, r.errorAt(e.Start(), "expression can't be converted to Literal")
}

// evalString builds a string literal; interpolations always warn and are
// stringified as the reference's to_string.
func (r *run) evalString(e *syntax.StringLit) (Value, error) {
	if len(e.Parts) == 1 && e.Parts[0].X == nil {
		if e.Raw {
			return StringValue(e.Parts[0].Text), nil
		}
		return TextValue(e.Parts[0].Text), nil
	}
	n := 0
	for _, p := range e.Parts {
		n += len(p.Text) + 8
	}
	var b strings.Builder
	b.Grow(n)
	secure := false
	for _, p := range e.Parts {
		if p.X == nil {
			b.WriteString(p.Text)
			continue
		}
		v, err := r.eval(p.X, true)
		if err != nil {
			return Value{}, err
		}
		secure = secure || v.secure
		writeString(&b, v)
	}
	r.charge(b.Len())
	return TextValue(b.String()).WithSecure(secure), nil
}

// binary evaluates both operands (there is no short-circuit) with warnings
// off, then applies the operator.
func (r *run) binary(e *syntax.Binary) (Value, error) {
	l, lerr := r.eval(e.L, false)
	rv, rerr := r.eval(e.R, false)
	if lerr != nil {
		return Value{}, lerr
	}
	if rerr != nil {
		return Value{}, rerr
	}
	switch e.Op {
	case syntax.OpOr:
		return BoolValue(l.Truthy() || rv.Truthy()), nil
	case syntax.OpAnd:
		return BoolValue(l.Truthy() && rv.Truthy()), nil
	case syntax.OpEq:
		return BoolValue(Equal(l, rv)), nil
	case syntax.OpNe:
		return BoolValue(!Equal(l, rv)), nil
	case syntax.OpMatch:
		return BoolValue(Match(l, rv)), nil
	case syntax.OpNotMatch:
		return BoolValue(!Match(l, rv)), nil
	case syntax.OpLt, syntax.OpLe, syntax.OpGt, syntax.OpGe:
		c, ok := Compare(l, rv)
		if !ok {
			return BoolValue(false), nil
		}
		switch e.Op {
		case syntax.OpLt:
			return BoolValue(c < 0), nil
		case syntax.OpLe:
			return BoolValue(c <= 0), nil
		case syntax.OpGt:
			return BoolValue(c > 0), nil
		}
		return BoolValue(c >= 0), nil
	}
	v, msg := Arith(e.Op, l, rv)
	if msg != "" {
		return Value{}, r.errorAt(e.P, msg)
	}
	if v.kind == String {
		r.charge(len(v.s))
	}
	return v, nil
}
