package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasReplyWrittenWhileDownReachesTheUser: an agent answers while
// switchboard is down (restarting, or its one instance killed). Gorgias's
// call fails and Gorgias retries only timeouts; nobody writes on the ticket
// afterwards. The answer must still reach the user while the session is
// live (livechat.md: no message is lost across a restart): the poll of the
// account's newest messages finds it within a period. Found by the load and
// fault harness (bench/harness), when only a later call about the same
// ticket caught up on a failed one.
func TestGorgiasReplyWrittenWhileDownReachesTheUser(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	s := g.start()
	ticket := g.ticketID(s)
	g.settle()

	g.srv.stop()
	if _, err := g.sim.Reply(ticket, "Your refund is on its way."); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.srv.start()

	// Five minutes of silence, well within the 30-minute timeout.
	g.advanceUntil("the answer written while switchboard was down", time.Minute, func() bool {
		return slices.Contains(g.fromAgents(), "Your refund is on its way.")
	})
}

// TestGorgiasReplyLostAtTheEndStillReachesTheUser is the reply an agent
// wrote just before the session ended, whose delivery was lost (the
// instance it called was down): the session expires before switchboard
// hears of it, and the poll still finds it on the ended session's ticket
// and delivers it, after the bot's expiry turn.
func TestGorgiasReplyLostAtTheEndStillReachesTheUser(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	s := g.start()
	ticket := g.ticketID(s)
	g.settle()

	g.advanceFor(29*time.Minute, time.Minute) // the session has a minute left
	g.srv.stop()
	if _, err := g.sim.Reply(ticket, "Found it: your parcel left today."); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.clock.Advance(2 * time.Minute) // past the deadline while nobody listened
	g.srv.start()
	g.advanceUntil("the reply written before the end", 30*time.Second, func() bool {
		return slices.Contains(g.fromAgents(), "Found it: your parcel left today.")
	})
	if got := g.session(s.ID); got.Live() || got.EndReason != switchboard.EndExpired {
		t.Fatalf("the late reply changed the session: %+v", got)
	}
}
