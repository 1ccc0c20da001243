package interp

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"switchboard/csml/syntax"
)

// exit is why a block stopped early.
type exit uint8

const (
	exitNone exit = iota
	exitGoto
	exitEnd
	exitHold
	exitBreak
	exitContinue
	exitReturn
)

// maxCallDepth bounds function and closure recursion.
const maxCallDepth = 200

// run is the state of one interpretation.
type run struct {
	ctx      context.Context
	prog     *Program
	in       *Input
	flow     *Flow
	flowName string
	stepName string
	locals   map[string]Value
	mem      *memory
	out      Output

	// hold is the position being resumed; it is cleared when reached.
	hold      *Hold
	exit      exit
	ret       Value
	nextFlow  string
	nextStep  string
	loopIdx   []int
	loopDepth int
	prev      *previous
	steps     int
	limits    Limits
	depth     int
	// used counts the bytes of values made (see charge), loops the while
	// iterations; fatal is a budget error waiting to end the run, at the
	// position of the action being run.
	used  int64
	loops int
	// said counts the bytes of the messages sent (see withinMessageBudget).
	said  int64
	fatal error
	at    syntax.Pos
	rnd   *rand.Rand
	// deadline is when the time limit ends the run; ticks counts the
	// checks between two readings of the clock.
	deadline time.Time
	ticks    int

	event    *Value
	metadata *ObjectData
	// scratch is reused to build message contents.
	scratch []byte
}

// previous is the reference's PreviousInfo: the flow before the current one
// and the last step and flow visited.
type previous struct {
	Flow     string
	Step     string
	StepFlow string
}

// encode is p as a hold stores it, {"flow": ..., "step_at_flow":
// [{"Normal": step}, flow]}, written directly: every hold after a goto
// writes it.
func (p *previous) encode() json.RawMessage {
	b := make([]byte, 0, 48+len(p.Flow)+len(p.Step)+len(p.StepFlow))
	b = append(b, `{"flow":`...)
	b = appendJSONString(b, p.Flow)
	b = append(b, `,"step_at_flow":[{"Normal":`...)
	b = appendJSONString(b, p.Step)
	b = append(b, "},"...)
	b = appendJSONString(b, p.StepFlow)
	return append(b, "]}"...)
}

// parsePrevious reads a previous position from a hold, in one pass; nil when
// raw is not one.
func parsePrevious(raw json.RawMessage) *previous {
	var v struct {
		Flow       string `json:"flow"`
		StepAtFlow []any  `json:"step_at_flow"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || len(v.StepAtFlow) != 2 {
		return nil
	}
	p := &previous{Flow: v.Flow}
	if step, ok := v.StepAtFlow[0].(map[string]any); ok {
		for _, s := range step {
			switch s := s.(type) {
			case string:
				p.Step = s
			case map[string]any:
				p.Step, _ = s["step"].(string)
			}
		}
	}
	p.StepFlow, _ = v.StepAtFlow[1].(string)
	return p
}

// Run interprets the program from in.Flow/in.Step (or resumes in.Hold) with
// the event, as the reference's interpret(bot, context, event) does.
//
// A panic inside the interpreter becomes a fatal error message: the run
// keeps what it produced before.
func (p *Program) Run(ctx context.Context, in Input) (out Output) {
	mem := newMemory(in.Memories)
	r := &run{prog: p, in: &in, mem: mem, limits: in.Limits.withDefaults(), rnd: in.Rand}
	if in.StepLimit > 0 {
		r.limits.Steps = in.StepLimit
	}
	r.ctx, r.deadline = ctx, time.Now().Add(r.limits.Time)
	defer func() {
		if e := recover(); e != nil {
			r.fail(r.errorAt(syntax.Pos{}, fmt.Sprintf("internal error: %v", e)))
			out = r.out
			out.Current = mem.current()
		}
	}()
	r.locals = make(map[string]Value, 8)
	r.out.Messages = make([]Message, 0, 8)
	r.scratch = make([]byte, 0, 512)
	if in.Hold != nil {
		h := *in.Hold
		r.hold = &h
		for k, raw := range h.StepVars {
			v, _ := ParseMemory(raw)
			r.locals[k] = v
		}
		r.prev = parsePrevious(h.Previous)
	}
	r.loop(in.Flow, in.Step)
	r.out.Current = mem.current()
	return r.out
}

// interrupted returns the fatal error that stops the run at pos, if any: a
// budget exhausted, the run canceled, or (checked every few calls, as
// reading the clock costs) the time limit reached.
func (r *run) interrupted(pos syntax.Pos) error {
	if r.fatal != nil {
		return r.fatal
	}
	if err := r.ctx.Err(); err != nil {
		return r.errorAt(pos, "interpretation canceled: "+err.Error())
	}
	r.ticks++
	if r.ticks%16 == 0 && time.Now().After(r.deadline) {
		return r.errorAt(pos, fmt.Sprintf("[Time limit] interpretation stopped after %s", r.limits.Time))
	}
	return nil
}

// hostContext is the context of a call to the host (HTTP, e-mail): the
// run's, ending at the run's deadline.
func (r *run) hostContext() (context.Context, context.CancelFunc) {
	return context.WithDeadline(r.ctx, r.deadline)
}

func (r *run) now() time.Time {
	if r.in.Now != nil {
		return r.in.Now()
	}
	return time.Now()
}

func (r *run) errorAt(pos syntax.Pos, msg string) *Error {
	return &Error{Msg: msg, Pos: pos, Flow: r.flowName}
}

// loop runs steps until the conversation ends, holds or fails.
func (r *run) loop(flowName, step string) {
	for {
		r.flowName, r.stepName = flowName, step
		r.out.Flow, r.out.Step = flowName, step
		if err := r.interrupted(syntax.Pos{}); err != nil {
			r.fail(err)
			return
		}
		flow := r.prog.Flows[flowName]
		if flow == nil {
			r.fail(r.errorAt(syntax.Pos{}, fmt.Sprintf("flow: [%s] does not exist in bot: [%s]", flowName, r.prog.ID)))
			return
		}
		st := r.step(flow, step)
		if st == nil && step == "start" && flowName != r.prog.DefaultFlow {
			flowName = r.prog.DefaultFlow
			continue
		}
		r.flow = flow
		if r.steps >= r.limits.Steps {
			r.fail(r.errorAt(syntax.Pos{}, fmt.Sprintf("[Infinite loop] Step limit reached: %d steps where executed in a single run, stop at step %s", r.limits.Steps, step)))
			return
		}
		if st == nil {
			r.fail(r.errorAt(syntax.Pos{}, fmt.Sprintf("[%s] step does not exist", step)))
			return
		}
		r.steps++
		if err := r.execBlock(st.Body); err != nil {
			r.fail(err)
			return
		}
		switch r.exit {
		case exitGoto:
			flowName, step = r.nextFlow, r.nextStep
			r.exit = exitNone
			r.locals = map[string]Value{}
			continue
		case exitEnd:
			r.out.Flow, r.out.Step, r.out.End = r.nextFlow, "end", true
		case exitNone:
			r.out.Step, r.out.End = "end", true
		}
		return
	}
}

// step finds a step of flow, or a step it inserts from another flow (which
// then runs with the flow's constants and functions, as in the reference).
func (r *run) step(flow *Flow, name string) *syntax.Step {
	if st := flow.Steps[name]; st != nil {
		return st
	}
	for _, ins := range flow.Inserts {
		if ins.Name == name {
			if from := r.prog.Flows[ins.From]; from != nil {
				return from.Steps[ins.Original]
			}
		}
	}
	return nil
}

// fail appends a fatal error's message, past the message budget too, and
// ends the conversation.
func (r *run) fail(err error) {
	r.out.Messages = append(r.out.Messages, Message{ContentType: "error", Content: r.errorContent(err)})
	r.out.End = true
}

func (r *run) errorContent(err error) []byte {
	b := append([]byte(nil), `{"error":`...)
	b = appendJSONString(b, err.Error())
	return append(b, '}')
}

// message appends a message to the output, within the run's budget.
func (r *run) message(ct string, content []byte) {
	if r.withinMessageBudget(len(content)) {
		r.out.Messages = append(r.out.Messages, Message{ContentType: ct, Content: content})
	}
}

// warn appends a non-fatal error message and returns the null the failed
// expression evaluates to.
func (r *run) warn(pos syntax.Pos, msg string) Value {
	r.message("error", r.errorContent(r.errorAt(pos, msg)))
	return errorValue(msg)
}

// holdHere stops the run on a hold action with index idx.
func (r *run) holdHere(idx int, secure bool) {
	vars := make(map[string]json.RawMessage, len(r.locals))
	for k, v := range r.locals {
		vars[k] = appendMem(nil, v, true)
	}
	h := &Hold{
		CommandIndex: idx,
		LoopIndex:    append([]int{}, r.loopIdx...),
		StepVars:     vars,
		Secure:       secure,
		FlowName:     r.flowName,
		StepName:     r.stepName,
	}
	if r.prev != nil {
		h.Previous = r.prev.encode()
	}
	r.out.Hold = h
	r.exit = exitHold
}

// moveTo records a goto to flow/step, updating the previous position.
func (r *run) moveTo(flow, step string) {
	if r.prev == nil {
		r.prev = &previous{Flow: r.flowName}
	} else if r.prev.StepFlow != r.flowName {
		r.prev.Flow = r.prev.StepFlow
	}
	r.prev.Step, r.prev.StepFlow = r.stepName, r.flowName
	r.nextFlow, r.nextStep = flow, step
	r.exit = exitGoto
	if step == "end" {
		r.exit = exitEnd
	}
}
