package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestWhatsAppWithChatwoot: Jane on WhatsApp, the agent on Chatwoot (the
// simulator): the agent's reply reaches her phone, and a reply after her
// window is not sent but a private note in the conversation says why.
func TestWhatsAppWithChatwoot(t *testing.T) {
	clock, csim, settings := weekOnChatwoot(t)
	g := newWAStoryAt(t, clock, "livechat-demo", nil, settings, nil)
	g.waitDeliveries = csim.WaitDeliveries

	s := g.handOver()
	var display int64
	g.waitFor("the Chatwoot conversation", func() bool {
		cv, ok := csim.ConversationBySource(s.ID)
		display = cv.DisplayID
		return ok
	})
	if _, err := csim.Reply(display, "Hello from Chatwoot"); err != nil {
		t.Fatal(err)
	}
	if got := g.received(3, 1); !strings.HasSuffix(got[0].Text, "\nHello from Chatwoot") {
		t.Fatalf("the Chatwoot reply came as:\n%s", showSent(got))
	}

	g.settle()
	g.clock.Advance(25 * time.Hour)
	if _, err := csim.Reply(display, "Anything else?"); err != nil {
		t.Fatal(err)
	}
	g.waitFor("a private note in the conversation", func() bool {
		cv, _ := csim.ConversationBySource(s.ID)
		return slices.ContainsFunc(cv.Messages, func(m chatwootsim.Message) bool { return m.Private && strings.Contains(m.Text(), "did not receive") })
	})
	g.settle()
	if out := g.sim.Outbound(janeWA); len(out) != 4 {
		t.Errorf("something was sent after the window:\n%s", showSent(out[4:]))
	}
}
