package syntax

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Problem is a lint finding. Errors are what the reference's validation
// reports as errors (the flow still runs); warnings are advice.
type Problem struct {
	Flow    string
	Err     *Error
	Warning bool
}

// LintConfig is what the linter needs to know beyond the flows.
type LintConfig struct {
	DefaultFlow string
	// Modules are the flows of the bot's modules (import ... from
	// modules/name).
	Modules []*Flow
	// Callable reports whether a name is a builtin or a component (not an
	// error when called).
	Callable func(name string) bool
}

// Lint checks a bot's parsed flows together, as the reference's linter:
// duplicate steps and functions, a missing start step (outside the default
// flow), actions out of place (return outside functions; say, goto,
// remember and hold inside them; break and continue outside loops),
// constants changed, imports and inserts that find nothing, calls to
// functions that do not exist, gotos to steps or flows that do not exist
// (which the reference does not check: its run fails there, at line 0). It
// also warns of deprecated forms.
func Lint(flows []*Flow, cfg LintConfig) []Problem {
	byName := make(map[string]*Flow, len(flows))
	for _, f := range flows {
		byName[f.Name] = f
	}
	modules := make(map[string]*Flow, len(cfg.Modules))
	for _, m := range cfg.Modules {
		modules[m.Name] = m
	}
	var out []Problem
	for _, f := range flows {
		l := &linter{flow: f, flows: byName, modules: modules, cfg: cfg}
		l.flowLevel()
		for _, st := range f.Order {
			l.closures = l.stepClosures(st.Body)
			l.block(st.Body, 0, false)
		}
		l.closures = nil
		for _, name := range slices.Sorted(maps.Keys(f.Funcs)) {
			l.block(f.Funcs[name].Body, 1, false)
		}
		out = append(out, l.problems...)
		if l.dropped > 0 {
			out = append(out, Problem{Flow: f.Name, Warning: true, Err: &Error{Msg: fmt.Sprintf("%d more problems in this flow are not listed: fix these first", l.dropped)}})
		}
	}
	return out
}

type linter struct {
	flow     *Flow
	flows    map[string]*Flow
	modules  map[string]*Flow
	cfg      LintConfig
	closures map[string]bool
	problems []Problem
	// dropped counts the problems over MaxErrors.
	dropped int
}

// errorf and warnf record a problem, up to MaxErrors for the flow.
func (l *linter) errorf(p Pos, format string, args ...any) {
	if len(l.problems) >= MaxErrors {
		l.dropped++
		return
	}
	l.problems = append(l.problems, Problem{Flow: l.flow.Name, Err: &Error{Pos: p, End: p, Msg: fmt.Sprintf(format, args...)}})
}

func (l *linter) warnf(p Pos, format string, args ...any) {
	if len(l.problems) >= MaxErrors {
		l.dropped++
		return
	}
	l.problems = append(l.problems, Problem{Flow: l.flow.Name, Warning: true, Err: &Error{Pos: p, End: p, Msg: fmt.Sprintf(format, args...)}})
}

// flowLevel checks the flow's items: duplicates, start, imports, inserts.
func (l *linter) flowLevel() {
	f := l.flow
	seen := map[string]bool{}
	for _, st := range f.Order {
		if seen[st.Name] {
			l.errorf(st.P, "duplicate step %s", st.Name)
		}
		seen[st.Name] = true
	}
	for _, fn := range f.FuncDups {
		l.errorf(fn.P, "duplicate function %s", fn.Name)
	}
	if f.Steps["start"] == nil && len(f.Steps) > 0 && f.Name != l.cfg.DefaultFlow {
		l.errorf(Pos{}, "missing step 'start' in flow [%s]", f.Name)
	}
	for _, imp := range f.Imports {
		l.importItem(imp)
	}
	for _, ins := range f.Inserts {
		if f.Steps[ins.Name] != nil {
			l.errorf(ins.P, "insert failed, a step named '%s' already exist in current flow '%s'", ins.Name, f.Name)
		}
		if from := l.flows[ins.From]; from == nil || from.Steps[ins.Original] == nil {
			l.errorf(ins.P, "insert failed, step '%s' not found in flow '%s'", ins.Original, ins.From)
		}
	}
}

func (l *linter) importItem(imp *Import) {
	if l.flow.Funcs[imp.Name] != nil {
		l.errorf(imp.P, "import failed a function named '%s' already exist in current flow '%s'", imp.Name, l.flow.Name)
	}
	switch {
	case imp.Module:
		if m := l.modules[imp.From]; m == nil || m.Funcs[imp.Original] == nil {
			l.errorf(imp.P, "import failed function '%s' not found in flow '%s'", imp.Original, imp.From)
		}
	case imp.From != "":
		if f := l.flows[imp.From]; f == nil || f.Funcs[imp.Original] == nil {
			l.errorf(imp.P, "import failed function '%s' not found in flow '%s'", imp.Original, imp.From)
		}
	default:
		for _, f := range l.flows {
			if f.Funcs[imp.Original] != nil {
				return
			}
		}
		for _, f := range l.modules {
			if f.Funcs[imp.Original] != nil {
				return
			}
		}
		l.errorf(imp.P, "function '%s' not found in bot", imp.Original)
	}
}

// stepClosures are the names a step stores closures in, which it may call.
func (l *linter) stepClosures(b *Block) map[string]bool {
	names := map[string]bool{}
	var walk func(b *Block)
	walk = func(b *Block) {
		for _, s := range b.Stmts {
			switch s := s.(type) {
			case *Assignment:
				if id, ok := s.Target.(*Ident); ok {
					if _, isClosure := s.Value.(*Closure); isClosure {
						names[id.Name] = true
					}
				}
			case *Remember:
				if _, isClosure := s.Value.(*Closure); isClosure {
					names[s.Name] = true
				}
			case *If:
				for ; s != nil; s = s.ElseIf {
					walk(s.Then)
					if s.Else != nil {
						walk(s.Else)
					}
				}
			case *Foreach:
				walk(s.Body)
			case *While:
				walk(s.Body)
			}
		}
	}
	walk(b)
	return names
}

// block checks actions; fn counts the functions and closures around them.
func (l *linter) block(b *Block, fn int, inLoop bool) {
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Return:
			if fn == 0 {
				l.errorf(s.X.Start(), "'return' action is not allowed outside function scope")
			}
			l.expr(s.X, fn)
		case *Goto:
			if fn > 0 {
				l.errorf(s.P, "'goto' action is not allowed in function scope")
			}
			l.gotoTarget(s)
		case *Break:
			if !inLoop {
				l.errorf(s.P, "'break' action is not allowed outside loop")
			}
		case *Continue:
			if !inLoop {
				l.errorf(s.P, "'continue' action is not allowed outside loop")
			}
		case *Hold:
			if fn > 0 {
				l.errorf(s.P, "'hold' action is not allowed in function scope")
			}
		case *Say:
			if fn > 0 {
				l.errorf(s.X.Start(), "'say' action is not allowed in function scope")
			}
			l.expr(s.X, fn)
		case *Use:
			l.warnf(s.X.Start(), "use will be soon a deprecated keyword please use 'do' instead. https://docs.csml.dev/memory/temporary-and-long-term-variables")
			l.expr(s.X, fn)
		case *Do:
			l.expr(s.X, fn)
		case *Assignment:
			if id, ok := s.Target.(*Ident); ok && l.isConst(id.Name) {
				l.errorf(id.P, "constant '%s' is immutable and can not be changed", id.Name)
			}
			l.expr(s.Target, fn)
			l.expr(s.Value, fn)
		case *Remember:
			if fn > 0 {
				l.errorf(s.NamePos, "'remember' action is not allowed in function scope")
			}
			l.expr(s.Value, fn)
		case *If:
			for ; s != nil; s = s.ElseIf {
				l.block(s.Then, fn, inLoop)
				if s.Else != nil {
					l.block(s.Else, fn, inLoop)
				}
			}
		case *Foreach:
			l.block(s.Body, fn, true)
		case *While:
			l.block(s.Body, fn, true)
		}
	}
}

func (l *linter) isConst(name string) bool {
	for _, c := range l.flow.Consts {
		if c.Name == name {
			return true
		}
	}
	return false
}

// expr checks the calls of an expression and the bodies of its closures.
func (l *linter) expr(x Expr, fn int) {
	switch x := x.(type) {
	case *Call:
		l.call(x)
		for _, a := range x.Args {
			l.expr(a.Value, fn)
		}
	case *Path:
		l.expr(x.X, fn)
		for _, s := range x.Segs {
			if s.Index != nil {
				l.expr(s.Index, fn)
			}
			for _, a := range s.Args {
				l.expr(a.Value, fn)
			}
		}
	case *ArrayLit:
		for _, e := range x.Elems {
			l.expr(e, fn)
		}
	case *ObjectLit:
		for _, f := range x.Fields {
			l.expr(f.Value, fn)
		}
	case *StringLit:
		for _, p := range x.Parts {
			if p.X != nil {
				l.expr(p.X, fn)
			}
		}
	case *Binary:
		l.expr(x.L, fn)
		l.expr(x.R, fn)
	case *As:
		if _, ok := x.X.(*Closure); ok && l.closures != nil {
			l.closures[x.Name] = true
		}
		l.expr(x.X, fn)
	case *Closure:
		l.block(x.Body, fn+1, false)
	}
}

// call checks that a called name exists: a builtin or component, a
// function of the flow or one it imports, or a closure the step stores.
func (l *linter) call(c *Call) {
	switch c.Name {
	case "Object":
		l.warnf(c.P, "'Object(key = value)' will be soon a deprecated Macro please use '{key: value}' instead; https://docs.csml.dev/automatic-type-inference/literals-objects-arrays")
	case "Fn":
		l.warnf(c.P, "'Fn()' will soon be deprecated. Please use the 'App()' keyword instead")
	}
	if (l.cfg.Callable != nil && l.cfg.Callable(c.Name)) || l.flow.Funcs[c.Name] != nil || l.closures[c.Name] {
		return
	}
	for _, imp := range l.flow.Imports {
		if imp.Name == c.Name {
			return
		}
	}
	l.errorf(c.P, "function [%s] does not exist", c.Name)
}

// gotoTarget reports a goto whose step or flow, written as names, does not
// exist: the run would stop there with an error.
func (l *linter) gotoTarget(g *Goto) {
	if g.Bot != nil || (g.Step != nil && g.Step.Var != nil) || (g.Flow != nil && g.Flow.Var != nil) {
		return
	}
	flow := l.flow
	if g.Flow != nil {
		if flow = l.flowNamed(g.Flow.Name); flow == nil {
			l.errorf(g.Flow.P, "goto: flow [%s] does not exist in this bot; the run would stop here. Add the flow or correct the name", g.Flow.Name)
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
	l.errorf(pos, "goto: step [%s] does not exist in flow [%s]; the run would stop here. Add the step or correct the name", step, flow.Name)
}

// flowNamed finds a flow by name, ignoring case as the engine does.
func (l *linter) flowNamed(name string) *Flow {
	if f := l.flows[name]; f != nil {
		return f
	}
	for n, f := range l.flows {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}
