package interp

import (
	"maps"
	"slices"

	"switchboard/csml/syntax"
)

const (
	errFnArgs      = "function arguments are not valid"
	errExprLiteral = "expression can't be converted to Literal"
)

// Args are evaluated call arguments. Positional ones are known by their
// place in the call (the reference's arg0, arg1...), named ones by name;
// Named is set when any argument is named.
type Args struct {
	Named bool
	list  []argValue
}

type argValue struct {
	name  string
	index int
	v     Value
}

// Len is the number of arguments.
func (a Args) Len() int { return len(a.list) }

// At returns the positional argument written at place i.
func (a Args) At(i int) (Value, bool) {
	for _, x := range a.list {
		if x.name == "" && x.index == i {
			return x.v, true
		}
	}
	return Value{}, false
}

// Get is the reference's ArgsType::get: with named arguments, key by name
// (or the first argument when it is positional and index is 0); otherwise
// the positional argument at index.
func (a Args) Get(key string, index int) (Value, bool) {
	if !a.Named {
		return a.At(index)
	}
	for _, x := range a.list {
		if x.name == key {
			return x.v, true
		}
	}
	if index == 0 {
		return a.At(0)
	}
	return Value{}, false
}

// Each calls f with every argument in call order; name is empty for
// positional ones.
func (a Args) Each(f func(name string, v Value)) {
	for _, x := range a.list {
		f(x.name, x.v)
	}
}

// args evaluates call arguments. A second positional argument after a
// named one is an error, as in the reference.
func (r *run) args(list []syntax.Arg, warn bool) (Args, error) {
	var a Args
	if len(list) == 0 {
		return a, nil
	}
	a.list = make([]argValue, 0, len(list))
	positional := 0
	for i, arg := range list {
		if arg.Name == "" {
			positional++
			if a.Named && positional > 1 {
				return a, r.errorAt(arg.Value.Start(), errExprLiteral)
			}
		} else {
			a.Named = true
		}
		v, err := r.eval(arg.Value, warn)
		if err != nil {
			return a, err
		}
		a.list = append(a.list, argValue{name: arg.Name, index: i, v: v})
	}
	return a, nil
}

// call evaluates name(args): a native component, a builtin, a function of
// the flow, an imported function or a closure held in a step variable.
func (r *run) call(e *syntax.Call) (Value, error) {
	if comp := r.prog.Components[e.Name]; comp != nil {
		args, err := r.args(e.Args, true)
		if err != nil {
			return Value{}, err
		}
		v, msg := comp.Build(args)
		if msg != "" {
			return r.warn(e.P, msg), nil
		}
		return v, nil
	}
	if b, ok := r.prog.Library.builtin(e.Name); ok {
		args, err := r.args(e.Args, !b.Quiet)
		if err != nil {
			return Value{}, err
		}
		v, err := b.Fn(&Call{r: r, Name: e.Name, Pos: e.P, Args: args})
		if err != nil {
			return r.libraryError(e.P, err), nil
		}
		r.chargeValue(v)
		return v, nil
	}
	fn, flow := r.function(e.Name)
	if fn != nil {
		args, err := r.args(e.Args, true)
		if err != nil {
			return Value{}, err
		}
		return r.callFunc(e.P, fn.Params, fn.Body, flow, args, nil)
	}
	if v, ok := r.locals[e.Name]; ok && v.kind == Closure {
		args, err := r.args(e.Args, true)
		if err != nil {
			return Value{}, err
		}
		return r.callFunc(e.P, v.Closure().Params, v.Closure().Body, r.flow, args, nil)
	}
	return r.warn(e.P, "Unknown builtin ["+e.Name+"]"), nil
}

// function finds a function of the current flow, or one it imports.
func (r *run) function(name string) (*syntax.Func, *Flow) {
	if fn := r.flow.Funcs[name]; fn != nil {
		return fn, r.flow
	}
	for _, imp := range r.flow.Imports {
		if imp.Name != name {
			continue
		}
		if imp.Module {
			if f := r.prog.Modules[imp.From]; f != nil && f.Funcs[imp.Original] != nil {
				return f.Funcs[imp.Original], f
			}
			return nil, nil
		}
		if imp.From != "" {
			if f := r.prog.Flows[imp.From]; f != nil && f.Funcs[imp.Original] != nil {
				return f.Funcs[imp.Original], f
			}
			return nil, nil
		}
		for _, flowName := range slices.Sorted(maps.Keys(r.prog.Flows)) {
			if f := r.prog.Flows[flowName]; f.Funcs[imp.Original] != nil {
				return f.Funcs[imp.Original], f
			}
		}
	}
	return nil, nil
}

// callFunc runs a function or closure body in a scope of its own: only its
// arguments (and a closure's captured variables) are visible, and what it
// remembers is not kept. Its messages are the run's.
func (r *run) callFunc(pos syntax.Pos, params []string, body *syntax.Block, flow *Flow, args Args, captured *ObjectData) (Value, error) {
	if len(params) > args.Len() {
		return Value{}, r.errorAt(pos, errFnArgs)
	}
	if r.depth >= maxCallDepth {
		return Value{}, r.errorAt(pos, "maximum function call depth exceeded")
	}
	locals := make(map[string]Value, len(params)+captured.Len())
	for i, p := range params {
		v, ok := args.Get(p, i)
		if !ok {
			return Value{}, r.errorAt(pos, errFnArgs)
		}
		locals[p] = r.store(v)
	}
	for k, v := range captured.All() {
		if _, isParam := locals[k]; !isParam {
			locals[k] = r.store(v)
		}
	}
	saved := *r
	r.locals, r.mem, r.flow = locals, newMemory(nil), flow
	r.hold, r.exit, r.loopIdx, r.loopDepth = nil, exitNone, nil, 0
	r.depth++
	var err error
	for _, s := range body.Stmts {
		r.at = s.Start()
		if err = r.interrupted(r.at); err != nil {
			break
		}
		if err = r.exec(s); err != nil || r.exit == exitReturn {
			break
		}
		if err = r.fatal; err != nil {
			break
		}
		r.exit = exitNone
	}
	result := Value{}
	if r.exit == exitReturn {
		result = r.ret
	}
	// What the function produced and used is the run's: its messages, the
	// budgets it spent, the randomness it drew.
	messages, used, loops, said, fatal, rnd := r.out.Messages, r.used, r.loops, r.said, r.fatal, r.rnd
	*r = saved
	r.out.Messages, r.used, r.loops, r.said, r.fatal, r.rnd = messages, used, loops, said, fatal, rnd
	return result, err
}

// invokeClosure calls a closure value from the library (map, filter...):
// its captured variables are visible.
func (r *run) invokeClosure(pos syntax.Pos, fn Value, args []Value) (Value, error) {
	if fn.kind != Closure {
		return Value{}, r.errorAt(pos, "expect Literal of type [Closure]")
	}
	a := Args{list: make([]argValue, len(args))}
	for i, v := range args {
		a.list[i] = argValue{index: i, v: v}
	}
	return r.callFunc(pos, fn.Closure().Params, fn.Closure().Body, r.flow, a, fn.Closure().Captured)
}

// customComponent builds Component.Name(args) and reads the rest of the
// path on it. Errors are fatal here, as in the reference.
func (r *run) customComponent(id *syntax.Ident, segs []syntax.Seg, warn bool) (Value, error) {
	rs, err := r.resolve(nil, segs, true)
	if err != nil {
		return Value{}, err
	}
	first := rs[0]
	comp := r.prog.Custom[first.method]
	if first.kind != syntax.SegMethod || comp == nil {
		return Value{}, r.errorAt(id.P, "function does not exist for component")
	}
	v, msg := comp.Build(first.args)
	if msg != "" {
		return Value{}, r.errorAt(first.pos, msg)
	}
	v, _ = r.walk(v, rs[1:], warn, walkMode{})
	return v, nil
}
