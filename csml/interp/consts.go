package interp

import (
	"context"

	"switchboard/csml/syntax"
)

const errConstExpr = "Constant invalid expression type: constants can not be assign this type of expression"

// NewFlow prepares a parsed flow for running: its constants are evaluated
// once, in order, each seeing the ones before it. A constant that reads
// anything else, or fails, is an error.
func NewFlow(f *syntax.Flow) (*Flow, []*syntax.Error) {
	fl := &Flow{Flow: f, Consts: make(map[string]Value, len(f.Consts))}
	var errs []*syntax.Error
	for _, c := range f.Consts {
		r := &run{
			ctx:    context.Background(),
			prog:   &Program{Flows: map[string]*Flow{}},
			in:     &Input{},
			flow:   fl,
			locals: map[string]Value{},
			mem:    newMemory(nil),
			// The limits' defaults: with none, the message budget is zero
			// and a constant's error message would be dropped unseen.
			limits: Limits{}.withDefaults(),
		}
		v, err := r.eval(c.Value, true)
		if err != nil || len(r.out.Messages) > 0 || v.kind == Closure {
			if len(errs) == syntax.MaxErrors {
				break // the flow is refused anyway; say no more
			}
			errs = append(errs, &syntax.Error{Pos: c.Value.Start(), End: c.Value.Start(), Msg: errConstExpr})
			continue
		}
		fl.Consts[c.Name] = v.Clone()
	}
	return fl, errs
}
