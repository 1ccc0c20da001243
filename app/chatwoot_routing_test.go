package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"switchboard"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// route leaves the routing the bot would remember before its handoff button.
func (g *story) route(routing string) {
	g.t.Helper()
	ctx := context.Background()
	if err := g.srv.app.Store.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutMemory(ctx, g.user, switchboard.Memory{Key: "livechat", Value: json.RawMessage(routing)})
	}); err != nil {
		g.t.Fatal(err)
	}
}

// TestChatwootRoutingAndAssignment: the bot's team, tags, priority and note
// reach the conversation (team assignment, labels, priority, the opening
// note); an agent assigning the conversation to themselves is the claim.
func TestChatwootRoutingAndAssignment(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{Teams: []chatwootsim.Team{{ID: 7, AccountID: 1, Name: "Billing"}}}, nil)
	c.route(`{"team": "billing", "priority": "high", "tags": ["VIP customer"], "note": "order 1234"}`)
	s := c.start()
	cv := c.conversation(s)
	if cv.TeamID != 7 || cv.Priority != "high" || !slices.Equal(cv.Labels, []string{"vip-customer"}) {
		t.Fatalf("conversation team %d, priority %q, labels %q", cv.TeamID, cv.Priority, cv.Labels)
	}
	if n := notes(cv); len(n) != 1 || !strings.Contains(n[0], "Note from the bot: order 1234") {
		t.Fatalf("notes = %q", n)
	}
	if s.ClaimedAt != nil {
		t.Fatal("claimed before anyone took it")
	}

	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActAssign})
	c.waitFor("the assignment to claim the session", func() bool { return c.session(s.ID).ClaimedAt != nil })
	if got := c.session(s.ID); got.AgentName != chatwootsim.DefaultUser.Name || got.FirstReplyAt != nil {
		t.Fatalf("claimed session: agent %q, first reply %v", got.AgentName, got.FirstReplyAt)
	}
}
