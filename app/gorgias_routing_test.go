package app_test

import (
	"slices"
	"strings"
	"testing"

	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasRoutingAndAssignment: the bot's team, tags, priority and note
// reach the ticket (assignee_team, tags, priority, the first message); an
// agent assigning the ticket to themselves is the claim.
func TestGorgiasRoutingAndAssignment(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{Teams: []gorgiassim.Team{{ID: 3, Name: "Sales"}, {ID: 4, Name: "Billing"}}}, nil,
		"ticket-message-created", "ticket-updated")
	g.route(`{"team": "billing", "priority": "urgent", "tags": ["vip", "fr"], "note": "order 1234"}`)
	s := g.start()
	tk := g.ticket(s)
	var tags []string
	for _, tag := range tk.Tags {
		tags = append(tags, tag.Name)
	}
	if tk.AssigneeTeam == nil || tk.AssigneeTeam.ID != 4 || tk.Priority != "critical" || !slices.Equal(tags, []string{"vip", "fr"}) || tk.AssigneeUser != nil {
		t.Fatalf("ticket team %+v, priority %q, tags %q, assignee %+v", tk.AssigneeTeam, tk.Priority, tags, tk.AssigneeUser)
	}
	if len(tk.Messages) == 0 || tk.Messages[0].BodyText == nil || !strings.Contains(*tk.Messages[0].BodyText, "Note from the bot: order 1234") {
		t.Fatalf("first message: %+v", tk.Messages)
	}

	if _, err := g.sim.Act(tk.ID, gorgiassim.Action{Kind: gorgiassim.ActAssign}); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the assignment to claim the session", func() bool { return g.session(s.ID).ClaimedAt != nil })
	if got := g.session(s.ID); got.AgentName != gorgiassim.DefaultUser.Name || got.FirstReplyAt != nil {
		t.Fatalf("claimed session: agent %q, first reply %v", got.AgentName, got.FirstReplyAt)
	}
}

// TestGorgiasWithoutRoutingSendsNone: a bot that routes nothing opens the
// ticket as before: normal priority, no tags, no team.
func TestGorgiasWithoutRoutingSendsNone(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	tk := g.ticket(g.start())
	if tk.AssigneeTeam != nil || tk.Priority != "normal" || len(tk.Tags) != 0 {
		t.Fatalf("ticket team %+v, priority %q, tags %v", tk.AssigneeTeam, tk.Priority, tk.Tags)
	}
}
