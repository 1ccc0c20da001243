package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasChaosLosesAndRepeatsNothing runs one session through
// everything that goes wrong in production: webhook deliveries duplicated,
// reordered and late; bursts of 429; a one-minute 503 outage of the API
// (its retries on the test clock); and a restart of switchboard while
// deliveries are in flight, which fail and are never retried. Every message
// reaches its side exactly once, in order.
func TestGorgiasChaosLosesAndRepeatsNothing(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{Seed: 7}, nil)
	s := g.start()
	ticket := g.ticketID(s)
	g.sim.SetChaos(gorgiassim.Chaos{Duplicate: 0.5, Reorder: 3, Delay: 20 * time.Millisecond})

	var users, agents []string
	user := func() {
		text := fmt.Sprintf("user message %d", len(users)+1)
		users = append(users, text)
		g.say(text)
	}
	agent := func() {
		text := fmt.Sprintf("agent message %d", len(agents)+1)
		agents = append(agents, text)
		if _, err := g.sim.Reply(ticket, text); err != nil {
			t.Fatal(err)
		}
	}

	// Both sides write at once while deliveries misbehave.
	for range 5 {
		user()
		agent()
	}
	g.settle()

	// A burst of 429s: the outbox waits what Retry-After says.
	g.sim.Throttle(6, 2*time.Second)
	user()
	agent()
	user()
	g.advanceUntil("the throttled messages", 3*time.Second, func() bool {
		return len(userTexts(g.ticket(s))) == len(users) && len(g.fromAgents()) == len(agents)
	})

	// A one-minute outage: user messages and read-backs fail with 503 and
	// are retried with backoff on the test clock.
	g.sim.SetOutage(true)
	user()
	agent()
	user()
	agent()
	g.advanceFor(time.Minute, 5*time.Second)
	if got := len(g.fromAgents()); got != len(agents)-2 {
		t.Fatalf("during the outage %d agent messages were delivered, want %d", got, len(agents)-2)
	}
	g.sim.SetOutage(false)
	g.advanceUntil("the messages held by the outage", 10*time.Second, func() bool {
		return len(userTexts(g.ticket(s))) == len(users) && len(g.fromAgents()) == len(agents)
	})

	// A restart while deliveries are in flight: they fail against the
	// stopped server and Gorgias does not retry them; a user message waits
	// in the outbox across the restart. The next delivery catches up.
	g.sim.HoldDeliveries()
	agent()
	agent()
	g.srv.stop()
	g.sim.ReleaseDeliveries()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.srv.start()
	user()
	agent()
	g.advanceUntil("everything after the restart", 2*time.Second, func() bool {
		return len(userTexts(g.ticket(s))) == len(users) && len(g.fromAgents()) == len(agents)
	})
	g.settle()

	if got := userTexts(g.ticket(s)); !slices.Equal(got, users) {
		t.Errorf("user messages on the ticket:\n%q\nwant\n%q", got, users)
	}
	if got := g.fromAgents(); !slices.Equal(got, agents) {
		t.Errorf("agent messages the user received:\n%q\nwant\n%q", got, agents)
	}
	if got := g.session(s.ID); got.State != switchboard.SessionActive {
		t.Errorf("the session is %s (%s)", got.State, got.EndReason)
	}
	var dead []switchboard.Job
	err := g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		dead, err = tx.DeadJobs(context.Background(), 10)
		return err
	})
	if err != nil || len(dead) > 0 {
		t.Errorf("jobs given up: %+v %v", dead, err)
	}
	failed, duplicated := 0, 0
	for _, d := range g.sim.Deliveries() {
		if d.Status != 200 {
			failed++
		}
		if d.Duplicate {
			duplicated++
		}
	}
	if failed == 0 || duplicated == 0 {
		t.Errorf("%d deliveries failed and %d were duplicated: the chaos did not happen", failed, duplicated)
	}
}
