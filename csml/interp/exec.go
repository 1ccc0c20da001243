package interp

import (
	"slices"

	"switchboard/csml/syntax"
)

const (
	errForeach      = "foreach only accepts iterable elements like arrays and strings. Example: foreach(elem) in [1, 2, 3]"
	errGotoVar      = "variables in goto need to resolve as strings"
	errPayloadSize  = "payload exceeds max payload size (16kb)"
	errSecureSay    = "Secure variable can not be displayed"
	errSecureAssign = "Assignation of secure variable is not allowed"
	maxPayloadSize  = 16000
)

// execBlock runs the actions of a block. While a hold is being resumed,
// actions before it are skipped (an action whose last inner index is below
// the hold's) and the action carrying the hold's index is skipped and ends
// the resumption, as the reference's interpret_scope does.
func (r *run) execBlock(b *syntax.Block) error {
	for _, s := range b.Stmts {
		if r.hold != nil {
			n := s.Number()
			if r.hold.CommandIndex > n.Index+n.Total {
				continue
			}
			if r.hold.CommandIndex == n.Index {
				r.hold = nil
				continue
			}
		}
		if r.exit != exitNone {
			return nil
		}
		r.at = s.Start()
		if err := r.interrupted(r.at); err != nil {
			return err
		}
		if err := r.exec(s); err != nil {
			return err
		}
		if r.fatal != nil {
			return r.fatal
		}
	}
	return nil
}

func (r *run) exec(s syntax.Stmt) error {
	switch s := s.(type) {
	case *syntax.Say:
		return r.say(s.X)
	case *syntax.Debug:
		v, err := r.eval(s.X, true)
		if err != nil {
			return err
		}
		return r.sayValue(s.X.Start(), DebugValue([]Value{v}))
	case *syntax.Log:
		v, err := r.eval(s.X, true)
		if err == nil && r.in.Log != nil && !v.secure {
			r.in.Log(s.Level, ToString(v))
		}
		return err
	case *syntax.Use:
		_, err := r.eval(s.X, true)
		return err
	case *syntax.Do:
		_, err := r.eval(s.X, true)
		return err
	case *syntax.Assignment:
		return r.assign(s)
	case *syntax.Remember:
		return r.remember(s)
	case *syntax.Forget:
		r.forget(s)
	case *syntax.Goto:
		return r.gotoStmt(s)
	case *syntax.Previous:
		r.previousStmt(s)
	case *syntax.Hold:
		r.holdHere(s.Index, s.Secure)
	case *syntax.Break:
		r.exit = exitBreak
	case *syntax.Continue:
		r.exit = exitContinue
	case *syntax.Return:
		v, err := r.eval(s.X, true)
		if err != nil {
			return err
		}
		r.ret, r.exit = v, exitReturn
	case *syntax.If:
		return r.ifStmt(s)
	case *syntax.Foreach:
		return r.foreach(s)
	case *syntax.While:
		return r.while(s)
	}
	return nil
}

// DebugValue is what debug and Debug() produce: {"args": [to_string of
// each argument]}, content type "debug".
func DebugValue(args []Value) Value {
	items := make([]Value, len(args))
	secure := false
	for i, a := range args {
		items[i] = StringValue(ToString(a))
		secure = secure || a.secure
	}
	o := NewObject(1)
	o.Set("args", ArrayValue(items))
	return ObjectValue(o).WithContentType("debug").WithSecure(secure)
}

func (r *run) say(x syntax.Expr) error {
	v, err := r.eval(x, true)
	if err != nil {
		return err
	}
	return r.sayValue(x.Start(), v)
}

// sayValue sends v as a message, as the reference's to_msg renders it.
func (r *run) sayValue(pos syntax.Pos, v Value) error {
	if r.fatal != nil {
		return r.fatal
	}
	if v.secure {
		r.warn(pos, errSecureSay)
		return nil
	}
	b := r.scratch[:0]
	ct := v.ContentType()
	switch v.kind {
	case Null:
		ct, b = "text", append(b, `{"text":null}`...)
	case Bool, Int, Float, String:
		if v.kind == String && len(v.s) >= maxPayloadSize {
			return r.errorAt(pos, errPayloadSize)
		}
		b = append(b, `{"text":`...)
		if v.kind == String {
			b = appendJSONString(b, v.s)
		} else {
			b = append(b, '"')
			b = appendString(b, v)
			b = append(b, '"')
		}
		ct, b = "text", append(b, '}')
	case Array:
		if len(appendJSON(b, v)) >= maxPayloadSize {
			return r.errorAt(pos, errPayloadSize)
		}
		b = append(b, '[')
		for i, it := range v.arr.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, it)
		}
		b = append(b, ']')
	default:
		b = appendJSON(b, v)
		if len(b) >= maxPayloadSize {
			return r.errorAt(pos, errPayloadSize)
		}
	}
	r.scratch = b
	r.message(ct, append([]byte(nil), b...))
	return nil
}

// record appends a memory record for key.
func (r *run) record(key string, v Value) {
	r.out.Memories = append(r.out.Memories, Memory{Key: key, Value: appendMem(nil, v, true)})
}

func (r *run) remember(s *syntax.Remember) error {
	v, err := r.eval(s.Value, true)
	if err != nil {
		return err
	}
	if v.secure {
		r.warn(s.Value.Start(), errSecureAssign)
		return nil
	}
	v = r.capture(r.store(v))
	r.record(s.Name, v)
	r.mem.set(s.Name, v)
	return nil
}

// forget removes memories: from the store, from this run's records and
// from the step variables of the same name, as the reference does.
func (r *run) forget(s *syntax.Forget) {
	if s.All {
		r.mem.forgetAll()
		clear(r.locals)
		r.out.Memories = nil
		return
	}
	for _, id := range s.Names {
		r.mem.forget(id.Name)
		delete(r.locals, id.Name)
		r.out.Memories = slices.DeleteFunc(r.out.Memories, func(m Memory) bool { return m.Key == id.Name })
	}
}

// targetName resolves a goto target; $variables must hold strings.
func (r *run) targetName(t *syntax.Target) (string, error) {
	if t.Var == nil {
		return t.Name, nil
	}
	v, err := r.eval(t.Var, true)
	if err != nil {
		return "", err
	}
	if v.kind != String {
		return "", r.errorAt(t.Var.Start(), errGotoVar)
	}
	return v.s, nil
}

func (r *run) gotoStmt(s *syntax.Goto) error {
	step, flow := "start", r.flowName
	var err error
	if s.Step != nil {
		if step, err = r.targetName(s.Step); err != nil {
			return err
		}
	}
	if s.Flow != nil {
		if flow, err = r.targetName(s.Flow); err != nil {
			return err
		}
	}
	if s.Kind == syntax.GotoFlow {
		step = "start"
	}
	if s.Bot != nil {
		// Switching bots is the engine's business: the run ends and says
		// where to go (an empty flow is the other bot's default).
		bot, err := r.targetName(s.Bot)
		if err != nil {
			return err
		}
		if s.Flow == nil {
			flow = ""
		}
		r.out.SwitchBot = &BotSwitch{Bot: bot, Flow: flow, Step: step}
		r.nextFlow, r.exit = r.flowName, exitEnd
		return nil
	}
	r.moveTo(flow, step)
	r.gotoAt, r.gotoFlow = s.P, r.flowName
	return nil
}

func (r *run) previousStmt(s *syntax.Previous) {
	p := r.prev
	if p == nil {
		r.nextFlow, r.exit = r.flowName, exitEnd
		return
	}
	flow, step := p.StepFlow, p.Step
	if s.Flow {
		flow, step = p.Flow, "start"
		p.Flow = r.flowName
	} else if r.flowName != p.StepFlow {
		p.Flow = p.StepFlow
	}
	p.Step, p.StepFlow = r.stepName, r.flowName
	r.nextFlow, r.nextStep, r.exit = flow, step, exitGoto
}

// cond evaluates a condition: warnings off, and an error counts as false.
func (r *run) cond(x syntax.Expr) bool {
	v, err := r.eval(x, false)
	return err == nil && v.Truthy()
}

// ifStmt runs an if. When resuming a hold, the branch holding the hold's
// index is entered without evaluating conditions.
func (r *run) ifStmt(s *syntax.If) error {
	for ; s != nil; s = s.ElseIf {
		if r.hold != nil {
			if r.hold.CommandIndex <= s.Last {
				return r.execBlock(s.Then)
			}
		} else if r.cond(s.Cond) {
			return r.execBlock(s.Then)
		}
		if s.Else != nil {
			return r.execBlock(s.Else)
		}
	}
	return nil
}

// loopExit handles the exit left by a loop body; it reports whether the
// loop stops.
func (r *run) loopExit() bool {
	switch r.exit {
	case exitBreak:
		r.exit = exitNone
		return true
	case exitContinue:
		r.exit = exitNone
		return false
	}
	return r.exit != exitNone
}

func (r *run) foreach(s *syntax.Foreach) error {
	v, err := r.eval(s.X, true)
	if err != nil {
		return err
	}
	var items []Value
	switch v.kind {
	case Array:
		items = slices.Clone(v.arr.Items)
	case String:
		for _, c := range v.s {
			items = append(items, StringValue(string(c)))
		}
	default:
		return r.errorAt(s.X.Start(), errForeach)
	}
	depth := r.loopDepth
	r.loopIdx = append(r.loopIdx, 0)
	skip := 0
	if r.hold != nil && depth < len(r.hold.LoopIndex) {
		skip = min(max(r.hold.LoopIndex[depth], 0), len(items))
	}
	for i, it := range items[skip:] {
		if err := r.interrupted(s.Start()); err != nil {
			return err
		}
		r.locals[s.Item] = r.store(it)
		if s.IndexVar != "" {
			r.locals[s.IndexVar] = IntValue(int64(i + skip))
		}
		r.loopIdx[depth] = i + skip
		r.loopDepth++
		err := r.execBlock(s.Body)
		r.loopDepth--
		if err != nil {
			return err
		}
		if r.loopExit() {
			break
		}
	}
	r.loopIdx = r.loopIdx[:depth]
	delete(r.locals, s.Item)
	if s.IndexVar != "" {
		delete(r.locals, s.IndexVar)
	}
	return nil
}

func (r *run) while(s *syntax.While) error {
	for r.cond(s.Cond) {
		if err := r.interrupted(s.Start()); err != nil {
			return err
		}
		if err := r.loopTurn(s.Start()); err != nil {
			return err
		}
		if err := r.execBlock(s.Body); err != nil {
			return err
		}
		if r.loopExit() {
			break
		}
	}
	return nil
}
