package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestChatwootChaosLosesAndRepeatsNothing runs one session through
// everything that goes wrong in production: webhook deliveries duplicated,
// reordered and late; bursts of 429; a one-minute 503 outage of the API
// (its retries on the test clock); and a restart of switchboard while
// deliveries are in flight, which fail and which Chatwoot never makes
// again. Every message reaches its side exactly once, in order.
func TestChatwootChaosLosesAndRepeatsNothing(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{Seed: 7}, nil)
	s := c.start()
	c.sim.SetChaos(chatwootsim.Chaos{Duplicate: 0.5, Reorder: 3, Delay: 20 * time.Millisecond})

	var users, agents []string
	user := func() {
		text := fmt.Sprintf("user message %d", len(users)+1)
		users = append(users, text)
		c.say(text)
	}
	agent := func() {
		text := fmt.Sprintf("agent message %d", len(agents)+1)
		agents = append(agents, text)
		c.reply(s, text)
	}
	arrived := func() bool {
		return len(incoming(c.conversation(s))) == len(users) && len(c.fromAgents()) == len(agents)
	}

	// Both sides write at once while deliveries misbehave.
	for range 5 {
		user()
		agent()
	}
	c.settle()

	// A burst of 429s: the outbox waits what Retry-After says.
	c.sim.Throttle(6, 2*time.Second)
	user()
	agent()
	user()
	c.advanceUntil("the throttled messages", 3*time.Second, arrived)

	// A one-minute outage: user messages and read-backs fail with 503 and
	// are retried with backoff on the test clock.
	c.sim.SetOutage(true)
	user()
	agent()
	user()
	agent()
	c.advanceFor(time.Minute, 5*time.Second)
	if got := len(c.fromAgents()); got != len(agents)-2 {
		t.Fatalf("during the outage %d agent messages were delivered, want %d", got, len(agents)-2)
	}
	c.sim.SetOutage(false)
	c.advanceUntil("the messages held by the outage", 10*time.Second, arrived)

	// A restart while deliveries are in flight: they fail against the
	// stopped server and Chatwoot never makes them again (it marks the
	// messages failed); a user message waits in the outbox across the
	// restart. The next delivery catches up.
	c.sim.HoldDeliveries()
	agent()
	agent()
	c.srv.stop()
	c.sim.ReleaseDeliveries()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	c.srv.start()
	user()
	agent()
	c.advanceUntil("everything after the restart", 2*time.Second, arrived)
	c.settle()

	if got := incoming(c.conversation(s)); !slices.Equal(got, users) {
		t.Errorf("user messages in the conversation:\n%q\nwant\n%q", got, users)
	}
	if got := c.fromAgents(); !slices.Equal(got, agents) {
		t.Errorf("agent messages the user received:\n%q\nwant\n%q", got, agents)
	}
	if got := c.session(s.ID); got.State != switchboard.SessionActive {
		t.Errorf("the session is %s (%s)", got.State, got.EndReason)
	}
	var dead []switchboard.Job
	err := c.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		dead, err = tx.DeadJobs(context.Background(), 10)
		return err
	})
	if err != nil || len(dead) > 0 {
		t.Errorf("jobs given up: %+v %v", dead, err)
	}
	failed, duplicated := 0, 0
	for _, d := range c.sim.Deliveries() {
		if !d.OK() {
			failed++
		}
		if d.Duplicate {
			duplicated++
		}
	}
	if failed == 0 || duplicated == 0 {
		t.Errorf("%d deliveries failed and %d were duplicated: the chaos did not happen", failed, duplicated)
	}
	// The messages Chatwoot marked failed reached the user: they say so.
	for _, m := range c.conversation(s).Messages {
		if m.Status == "failed" && m.MessageType == chatwootsim.TypeOutgoing && !m.Private {
			t.Errorf("agent message %q is still marked failed", m.Text())
		}
	}
}

// TestChatwootUnacknowledgedDeliveryIsRecovered has switchboard down when
// the agent writes, and nothing happens afterwards: Chatwoot never makes
// the call again, so the poll reads the conversation and delivers the
// message, once, and marks it delivered.
func TestChatwootUnacknowledgedDeliveryIsRecovered(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()
	c.settle()
	c.srv.stop()
	m := c.reply(s, "Are you still there?")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.sim.WaitDeliveries(ctx); err != nil { // the reply's, and its failure's
		t.Fatal(err)
	}
	failed := false
	for _, d := range c.sim.Deliveries() {
		failed = failed || d.ObjectID == fmt.Sprint(m.ID) && d.EventType == "message_created" && !d.OK()
	}
	if !failed {
		t.Fatal("the reply's delivery did not fail")
	}
	c.srv.start()
	c.settle()
	if got := c.fromAgents(); len(got) != 0 {
		t.Fatalf("delivered before the poll: %q", got)
	}
	c.advanceUntil("the recovered message", 5*time.Second, func() bool { return len(c.fromAgents()) == 1 })
	c.advanceFor(2*chatwoot.DefaultPollEvery, 5*time.Second) // more polls change nothing
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, []string{"Are you still there?"}) {
		t.Errorf("from agents: %q", got)
	}
	for _, x := range c.conversation(s).Messages {
		if x.ID == m.ID && x.Status != "delivered" {
			t.Errorf("the recovered message is %s, want delivered", x.Status)
		}
	}
}

// TestChatwootEveryDeliveryTimingOutLosesNothing gives Chatwoot's webhook
// calls no time at all: (nearly) every call fails and Chatwoot marks the
// message failed, whether or not switchboard got it. The poll delivers
// every agent message once, in order.
func TestChatwootEveryDeliveryTimingOutLosesNothing(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{DeliveryTimeout: time.Microsecond}, nil)
	s := c.start()
	var want []string
	for i := range 5 {
		want = append(want, fmt.Sprintf("reply %d", i+1))
		c.reply(s, want[i])
	}
	c.advanceUntil("the recovered messages", 5*time.Second, func() bool { return len(c.fromAgents()) == len(want) })
	c.advanceFor(2*chatwoot.DefaultPollEvery, 5*time.Second)
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, want) {
		t.Errorf("from agents:\n%q\nwant\n%q", got, want)
	}
	failed := 0
	for _, d := range c.sim.Deliveries() {
		if !d.OK() && d.EventType == "message_created" {
			failed++
		}
	}
	if failed < len(want) {
		t.Errorf("%d deliveries of messages failed, want at least %d: the test did not time them out", failed, len(want))
	}
}

// TestChatwootReplyLostAtTheEndStillReachesTheUser has the agent write a
// minute before the session's deadline while switchboard is down: Chatwoot
// calls once and gives up, and the session expires before switchboard is
// back. The poll still reads the ended session's conversation and delivers
// the reply, once, after the bot's expiry turn.
func TestChatwootReplyLostAtTheEndStillReachesTheUser(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()
	c.settle()
	c.advanceFor(29*time.Minute, time.Minute)
	c.srv.stop()
	c.reply(s, "Found it: your parcel left today.")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(2 * time.Minute) // past the deadline while nobody listened
	c.srv.start()
	c.advanceUntil("the reply written before the end", 5*time.Second, func() bool {
		return slices.Contains(c.fromAgents(), "Found it: your parcel left today.")
	})
	c.advanceFor(3*chatwoot.DefaultPollEvery, 5*time.Second) // more polls change nothing
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, []string{"Found it: your parcel left today."}) {
		t.Errorf("from agents: %q", got)
	}
	if got := c.session(s.ID); got.Live() || got.EndReason != switchboard.EndExpired {
		t.Fatalf("the late reply changed the session: %+v", got)
	}
}
