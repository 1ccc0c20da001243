package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/engine"
)

// TestWhatsAppChaos: Meta batching, duplicating and reordering deliveries,
// and its Graph API down for a while: every message still reaches Jane
// once, in order, and hers reach the agent once, in order.
func TestWhatsAppChaos(t *testing.T) {
	g := newWAStory(t, nil, nil)
	g.sim.SetBatch(true)
	g.sim.SetDuplicates(true)
	g.sim.SetReorderStatuses(true)
	s := g.handOver()

	for i := 1; i <= 5; i++ {
		g.write(fmt.Sprintf("question %d", i))
	}
	g.waitFor("Jane's five messages in the session", func() bool { return len(g.fromUserInSession(s.ID)) == 5 })

	g.sim.SetOutage(true)
	for i := 1; i <= 3; i++ {
		if err := g.srv.app.Engine.Reply(t.Context(), engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: fmt.Sprintf("answer %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	g.advanceFor(30*time.Second, 5*time.Second) // the sends fail and are retried
	g.sim.SetOutage(false)
	g.advanceUntil("the answers on the phone", 5*time.Second, func() bool { return len(g.sim.Outbound(janeWA)) >= 6 })
	g.settle()

	out := g.sim.Outbound(janeWA)
	var got []string
	for _, m := range out[3:] {
		got = append(got, strings.TrimPrefix(m.Text, "*Alex*\n"))
	}
	if strings.Join(got, "|") != "answer 1|answer 2|answer 3" {
		t.Errorf("Jane got, after the hand-over:\n%s", showSent(out[3:]))
	}
	if in := g.fromUserInSession(s.ID); strings.Join(in, "|") != "question 1|question 2|question 3|question 4|question 5" {
		t.Errorf("the session holds %q", in)
	}
}

// fromUserInSession are Jane's texts in the session, in order.
func (g *waStory) fromUserInSession(sessionID string) []string {
	var out []string
	for _, m := range g.history() {
		if m.SessionID == sessionID && m.Payload.ContentType == "text" && describe(m) != "" && m.Sender.Kind == "user" {
			out = append(out, describe(m))
		}
	}
	return out
}
