package csml

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/csml/interp"
)

// Host gives a run access to the outside world; its zero value works (real
// clock, no HTTP).
type Host struct {
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// HTTP performs the bot's HTTP(...).send() calls (nil: they fail with an
	// error message). The host decides what may be reached.
	HTTP func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)
}

// HTTPRequest is an HTTP call a bot makes; Body is JSON (nil for none).
type HTTPRequest = interp.HTTPRequest

// HTTPResponse is the answer to an HTTPRequest.
type HTTPResponse = interp.HTTPResponse

// Run interprets from c.Flow/c.Step (or resumes c.Hold) with the event, like
// the reference's interpret(bot, context, event). It never panics: an
// internal failure becomes an error message ending the conversation.
//
// An empty c.Flow or c.Step is taken from c.Hold, else the default flow and
// "start". A hold whose StepHash no longer matches its step is dropped and
// the flow restarts at its start step.
func (b *Bot) Run(ctx context.Context, c Context, ev Event, host Host) (res Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			msg, _ := json.Marshal(map[string]string{"error": fmt.Sprintf("internal error: %v at line 0, column 0 at flow [%s]", p, c.Flow)})
			res = Result{Messages: []Message{{Content: msg, ContentType: "error"}}, Current: c.Memories, Flow: c.Flow, Step: c.Step, End: true}
		}
		res.Duration = time.Since(start)
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	in := interp.Input{
		Flow: c.Flow, Step: c.Step, Memories: c.Memories, Metadata: c.Metadata, StepLimit: c.StepLimit, Now: host.Now, HTTP: host.HTTP,
		Event: interp.Event{ContentType: ev.ContentType, ContentValue: ev.ContentValue, Content: ev.Content, Secure: ev.Secure},
	}
	if h := c.Hold; h != nil {
		in.Flow, in.Step = or(in.Flow, h.FlowName), or(in.Step, h.StepName)
		in.Hold = &interp.Hold{
			CommandIndex: h.Index.CommandIndex, LoopIndex: h.Index.LoopIndex, StepVars: h.StepVars,
			Previous: h.Previous, Secure: h.Secure, FlowName: h.FlowName, StepName: h.StepName,
		}
	}
	in.Flow, in.Step = or(in.Flow, b.prog.DefaultFlow), or(in.Step, "start")
	if name, ok := b.FlowByName(in.Flow); ok {
		in.Flow = name
	}
	if in.Hold != nil && c.Hold.StepHash != "" {
		if st := b.step(in.Flow, in.Step); st == nil || st.Hash != c.Hold.StepHash {
			in.Hold, in.Step = nil, "start"
		}
	}
	out := b.prog.Run(ctx, in)
	return b.result(out)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (b *Bot) result(out interp.Output) Result {
	res := Result{Current: out.Current, Flow: out.Flow, Step: out.Step, End: out.End}
	res.Messages = make([]Message, len(out.Messages))
	for i, m := range out.Messages {
		res.Messages[i] = Message{Content: m.Content, ContentType: m.ContentType}
	}
	if len(out.Memories) > 0 {
		res.Memories = make([]Memory, len(out.Memories))
		for i, m := range out.Memories {
			res.Memories[i] = Memory{Key: m.Key, Value: m.Value}
		}
	}
	if h := out.Hold; h != nil {
		res.Hold = &Hold{
			Index:    HoldIndex{CommandIndex: h.CommandIndex, LoopIndex: h.LoopIndex},
			StepVars: h.StepVars, StepName: h.StepName, FlowName: h.FlowName,
			Previous: h.Previous, Secure: h.Secure,
		}
		if st := b.step(h.FlowName, h.StepName); st != nil {
			res.Hold.StepHash = st.Hash
		}
	}
	return res
}
