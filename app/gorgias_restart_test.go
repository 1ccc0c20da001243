package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

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
