package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// story is a switchboard server whose demo bot hands over to a platform
// simulator: the user talks through the engine, the agent through the
// simulator. Each platform's fixture embeds it.
type story struct {
	t     *testing.T
	srv   *server
	clock *testclock.Clock
	user  switchboard.ClientKey
	seq   atomic.Int64
	// waitDeliveries waits until the simulator has no webhook call in
	// flight.
	waitDeliveries func(context.Context) error
}

// newStory is a story of Grace, on the demo bot's chat page channel.
func newStory(t *testing.T, srv *server, clock *testclock.Clock, waitDeliveries func(context.Context) error) *story {
	chat := srv.chatURL()
	user := switchboard.ClientKey{BotID: "livechat-demo", ChannelID: chat[strings.LastIndex(chat, "/")+1:], UserID: "grace"}
	return &story{t: t, srv: srv, clock: clock, user: user, waitDeliveries: waitDeliveries}
}

// event sends one event of the user, as a channel does.
func (g *story) event(p switchboard.Payload, meta map[string]string) *engine.Reply {
	g.t.Helper()
	req := engine.Request{Client: g.user, RequestID: fmt.Sprintf("req-%d", g.seq.Add(1)), Payload: p}
	if meta != nil {
		req.Metadata, _ = json.Marshal(meta)
	}
	r, err := g.srv.app.Engine.HandleEvent(context.Background(), req)
	if err != nil {
		g.t.Fatalf("event %s: %v", p.Content, err)
	}
	return r
}

func (g *story) say(text string) *engine.Reply {
	g.t.Helper()
	raw, _ := json.Marshal(map[string]string{"text": text})
	return g.event(switchboard.Payload{ContentType: "text", Content: raw}, nil)
}

func (g *story) click(payload, title string) *engine.Reply {
	g.t.Helper()
	raw, _ := json.Marshal(map[string]string{"payload": payload, "title": title})
	return g.event(switchboard.Payload{ContentType: "payload", Content: raw}, nil)
}

// start greets the bot as Grace and asks for a human; it returns the
// session once its ticket (or conversation) is open.
func (g *story) start() switchboard.Session {
	g.t.Helper()
	raw, _ := json.Marshal(map[string]string{"text": "hello"})
	g.event(switchboard.Payload{ContentType: "text", Content: raw},
		map[string]string{"firstname": "Grace", "lastname": "Hopper", "email": "grace@example.com", "plan": "gold"})
	r := g.click(switchboard.PayloadSessionStart, "Talk to a human")
	if r.Session == nil {
		g.t.Fatalf("no session started: %+v", r)
	}
	id := r.Session.ID
	var s switchboard.Session
	g.waitFor("the session to open", func() bool {
		s = g.session(id)
		return s.State == switchboard.SessionActive
	})
	return s
}

// session reads a session.
func (g *story) session(id string) switchboard.Session {
	g.t.Helper()
	var s *switchboard.Session
	err := g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		s, err = tx.Session(context.Background(), id)
		return err
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return *s
}

// history returns the user's messages, oldest first.
func (g *story) history() []switchboard.Message {
	g.t.Helper()
	var out []switchboard.Message
	err := g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		out, err = tx.MessagesAfter(context.Background(), g.user, 0, 10000)
		return err
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return out
}

// fromAgents lists what agents' messages delivered to the user say, in order:
// texts, and "file:URL" for files.
func (g *story) fromAgents() []string {
	var out []string
	for _, m := range g.history() {
		if m.Sender.Kind == switchboard.SenderAgent {
			out = append(out, describe(m))
		}
	}
	return out
}

// botSaid reports whether the bot said something containing text.
func (g *story) botSaid(text string) bool {
	for _, m := range g.history() {
		if m.Sender.Kind == switchboard.SenderBot && strings.Contains(describe(m), text) {
			return true
		}
	}
	return false
}

// describe renders a message for assertions.
func describe(m switchboard.Message) string {
	var c map[string]any
	_ = json.Unmarshal(m.Payload.Content, &c)
	switch m.Payload.ContentType {
	case "text":
		return fmt.Sprint(c["text"])
	case "question":
		return "question:" + fmt.Sprint(c["title"])
	default:
		return m.Payload.ContentType + ":" + fmt.Sprint(c["url"])
	}
}

// waitFor polls cond until it holds or 10 seconds pass.
func (g *story) waitFor(what string, cond func() bool) {
	g.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			g.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settle waits until the simulator has no webhook call in flight and the
// outbox has no job left, twice in a row (a job's API call fires webhooks,
// whose delivery makes jobs), so that "nothing more happened" can be
// asserted.
func (g *story) settle() {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	quiet := 0
	for quiet < 2 {
		if err := g.waitDeliveries(ctx); err != nil {
			g.t.Fatalf("webhook deliveries still running: %v", err)
		}
		if g.pendingJobs() == 0 {
			quiet++
		} else {
			quiet = 0
			time.Sleep(5 * time.Millisecond)
		}
		if ctx.Err() != nil {
			g.t.Fatalf("the outbox still has %d jobs", g.pendingJobs())
		}
	}
}

// pendingJobs counts the outbox's jobs.
func (g *story) pendingJobs() int {
	g.t.Helper()
	var st switchboard.JobStats
	err := g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		st, err = tx.JobStats(context.Background())
		return err
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return st.Pending
}

// advanceUntil moves the test clock by step, letting the workers run after
// each move, until cond holds; after 5 minutes of test time it stops the
// clock and gives the work already due a while longer (a loaded machine may
// take more than the pauses between steps to do it) before giving up.
func (g *story) advanceUntil(what string, step time.Duration, cond func() bool) {
	g.t.Helper()
	for moved := time.Duration(0); !cond(); moved += step {
		if moved > 5*time.Minute {
			g.waitFor(what+" within 5 minutes of test time", cond)
			return
		}
		g.clock.Advance(step)
		time.Sleep(40 * time.Millisecond)
	}
}

// advanceFor moves the test clock by total in steps, letting the workers
// run (and fail) after each.
func (g *story) advanceFor(total, step time.Duration) {
	for moved := time.Duration(0); moved < total; moved += step {
		g.clock.Advance(step)
		time.Sleep(40 * time.Millisecond)
	}
}
