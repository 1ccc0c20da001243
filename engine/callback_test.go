package engine_test

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// callbackJobs drains the outbox in the order it hands jobs out and returns
// the message ids of the callback jobs.
func (f *fixture) callbackJobs() []int64 {
	f.t.Helper()
	var ids []int64
	for {
		var jobs []switchboard.Job
		err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
			var err error
			if jobs, err = tx.ClaimJobs(f.ctx, f.clock.Now(), time.Minute, 100); err != nil {
				return err
			}
			for _, j := range jobs {
				if err := tx.CompleteJob(f.ctx, j.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			f.t.Fatal(err)
		}
		if len(jobs) == 0 {
			return ids
		}
		for _, j := range jobs {
			if j.Kind == engine.JobCallback {
				var p engine.CallbackPayload
				_ = json.Unmarshal(j.Payload, &p)
				ids = append(ids, p.MessageID)
			}
		}
	}
}

func TestAsynchronousMessagesOfAPIClientsGoToTheirCallback(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	for _, w := range f.workers { // the test reads the outbox itself
		_ = w.Stop(f.ctx)
	}
	f.workers = nil
	api := switchboard.ClientKey{BotID: "support", ChannelID: "api-chan", UserID: "dev1"}
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
		return tx.PutChannel(f.ctx, &switchboard.Channel{ID: "api-chan", BotID: "support", Type: switchboard.ChannelAPI, CreatedAt: t0})
	}); err != nil {
		t.Fatal(err)
	}
	send := func(p switchboard.Payload, async bool) *engine.Reply {
		r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: api, Payload: p, CallbackURL: "https://app.example.com/cb", Async: async})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// A synchronous turn answers in the reply: no callback.
	if r := send(text("hi"), false); len(r.Messages) == 0 {
		t.Fatal("no reply")
	}
	// The webapp client's messages never go to a callback.
	f.send(text("hi"))
	if ids := f.callbackJobs(); len(ids) != 0 {
		t.Fatalf("callbacks for synchronous replies: %v", ids)
	}
	// A broadcast nobody waits for goes to the callback, in order.
	r := send(switchboard.Payload{ContentType: "flow_trigger", Content: json.RawMessage(`{"flow_id":"Main"}`)}, true)
	var want []int64
	for _, m := range r.Messages {
		want = append(want, m.ID)
	}
	if got := f.callbackJobs(); len(want) == 0 || !equalIDs(got, want) {
		t.Fatalf("broadcast callbacks %v, want %v", got, want)
	}
	var c *switchboard.Client
	_ = f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		c, err = tx.FindClient(f.ctx, api)
		return err
	})
	if c == nil || c.CallbackURL != "https://app.example.com/cb" {
		t.Fatalf("callback URL not kept: %+v", c)
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
