package syntax

import (
	"fmt"
	"maps"
	"slices"
)

// Problem is a lint finding: the flow runs, but probably not as meant.
type Problem struct {
	Flow string
	Err  *Error
}

// Lint checks a bot's parsed flows together: duplicate steps, a missing
// start step (outside the default flow, as the reference), gotos to steps
// or flows that do not exist, and break or continue outside loops.
func Lint(flows []*Flow, defaultFlow string) []Problem {
	byName := make(map[string]*Flow, len(flows))
	for _, f := range flows {
		byName[f.Name] = f
	}
	var out []Problem
	for _, f := range flows {
		l := &linter{flow: f, flows: byName}
		seen := map[string]bool{}
		for i := len(f.Order) - 1; i >= 0; i-- {
			st := f.Order[i]
			if seen[st.Name] {
				l.report(st.P, "duplicate step "+st.Name)
			}
			seen[st.Name] = true
		}
		if f.Steps["start"] == nil && len(f.Steps) > 0 && f.Name != defaultFlow {
			l.report(Pos{}, fmt.Sprintf("missing step 'start' in flow [%s]", f.Name))
		}
		for _, st := range f.Order {
			l.block(st.Body, false)
		}
		for _, name := range slices.Sorted(maps.Keys(f.Funcs)) {
			l.block(f.Funcs[name].Body, false)
		}
		out = append(out, l.problems...)
	}
	return out
}

type linter struct {
	flow     *Flow
	flows    map[string]*Flow
	problems []Problem
}

func (l *linter) report(p Pos, msg string) {
	l.problems = append(l.problems, Problem{Flow: l.flow.Name, Err: &Error{Pos: p, End: p, Msg: msg}})
}

func (l *linter) block(b *Block, inLoop bool) {
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Break, *Continue:
			if !inLoop {
				l.report(s.Start(), "break can only be used inside loops")
			}
		case *Goto:
			l.gotoTarget(s)
		case *If:
			for ; s != nil; s = s.ElseIf {
				l.block(s.Then, inLoop)
				if s.Else != nil {
					l.block(s.Else, inLoop)
				}
			}
		case *Foreach:
			l.block(s.Body, true)
		case *While:
			l.block(s.Body, true)
		}
	}
}

// gotoTarget checks a goto whose step and flow are written as names.
func (l *linter) gotoTarget(g *Goto) {
	if g.Bot != nil || (g.Step != nil && g.Step.Var != nil) || (g.Flow != nil && g.Flow.Var != nil) {
		return
	}
	flow := l.flow
	if g.Flow != nil {
		if flow = l.flows[g.Flow.Name]; flow == nil {
			l.report(g.Flow.P, fmt.Sprintf("flow [%s] does not exist", g.Flow.Name))
			return
		}
	}
	step := "start"
	if g.Step != nil && g.Kind != GotoFlow {
		step = g.Step.Name
	}
	if step == "end" || step == "start" || flow.Steps[step] != nil {
		return
	}
	for _, ins := range flow.Inserts {
		if ins.Name == step {
			return
		}
	}
	pos := g.P
	if g.Step != nil {
		pos = g.Step.P
	}
	l.report(pos, fmt.Sprintf("step [%s] does not exist in flow [%s]", step, flow.Name))
}
