package csml

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"switchboard/csml/interp"
)

// Host gives a run access to the outside world and sets its sandbox; its
// zero value works (real clock, random randomness, no HTTP, no e-mail,
// default limits).
type Host struct {
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// HTTP performs the bot's HTTP(...).send() and App() calls (nil: they
	// fail with an error message). The host decides what may be reached:
	// see package httphost.
	HTTP func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)
	// SMTP sends the bot's SMTP(...).send(email) e-mails (nil: they fail
	// with an error message).
	SMTP func(ctx context.Context, msg SMTPMessage) error
	// Rand is the randomness of Random(), OneOf(), Shuffle() and UUID()
	// (nil: a generator seeded at random for each run). A run uses it from
	// one goroutine.
	Rand *rand.Rand
	// Log receives the bot's log actions (nil: they are dropped).
	Log func(level, msg string)
	// Limits bound every run: steps, memory, while iterations, time.
	Limits Limits
}

// Limits bound what one run may do (zero fields take the defaults: 100
// steps, 64 MiB of values created, 100000 while iterations, 30 seconds).
// Context.StepLimit, when set, overrides Steps for one run.
type Limits = interp.Limits

// HTTPRequest is an HTTP call a bot makes; Body is JSON (nil for none).
type HTTPRequest = interp.HTTPRequest

// HTTPResponse is the answer to an HTTPRequest.
type HTTPResponse = interp.HTTPResponse

// HTTPError is how a host reports a failed call: users see its Reason, the
// logs its whole error.
type HTTPError = interp.HTTPError

// SMTPMessage is an e-mail a bot sends.
type SMTPMessage = interp.SMTPMessage

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
		Flow: c.Flow, Step: c.Step, Memories: c.Memories, Metadata: c.Metadata, StepLimit: c.StepLimit,
		Limits: host.Limits, Now: host.Now, HTTP: host.HTTP, SMTP: host.SMTP, Rand: host.Rand, Log: host.Log,
		Event: interp.Event{ContentType: ev.ContentType, ContentValue: ev.ContentValue, Content: ev.Content, Secure: ev.Secure},
	}
	if c.Client != (Client{}) {
		in.Client, _ = json.Marshal(c.Client)
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
	res := Result{Current: out.Current, Flow: out.Flow, Step: out.Step, End: out.End, SwitchBot: out.SwitchBot}
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
