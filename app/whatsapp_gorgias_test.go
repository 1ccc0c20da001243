package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestWhatsAppWithGorgias: Jane on WhatsApp, the agent on Gorgias (the
// simulator). Her messages reach the ticket, the agent's reply reaches her
// phone, and a reply after her 24-hour window is not sent: the agent reads
// why in a note on the ticket.
func TestWhatsAppWithGorgias(t *testing.T) {
	clock := testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	gsim, err := gorgiassim.Start("", gorgiassim.Config{RateLimit: -1, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gsim.Close() })
	settings := gorgiasSettings(gsim)
	settings.Timeout = livechat.Duration(7 * 24 * time.Hour)
	g := newWAStoryAt(t, clock, "livechat-demo", nil, settings, nil)
	token, err := g.srv.app.Livechat.Token(context.Background(), "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gsim.AddIntegration(gorgiassim.HTTPHooks{URL: gorgias.ReceiveURL(g.srv.app.URL(), token), Triggers: map[string]bool{}}); err != nil {
		t.Fatal(err)
	}
	g.waitDeliveries = gsim.WaitDeliveries

	s := g.handOver()
	g.write("My order did not arrive")
	g.waitFor("Jane's message on the ticket", func() bool {
		tk, ok := gsim.TicketByExternalID(s.ID)
		return ok && slices.Contains(userTexts(tk), "My order did not arrive")
	})
	tk, _ := gsim.TicketByExternalID(s.ID)
	if tk.Customer.Name == nil || *tk.Customer.Name != janeName {
		t.Errorf("the Gorgias customer is %+v, want Jane's WhatsApp name", tk.Customer)
	}

	if _, err := gsim.Reply(tk.ID, "It ships today."); err != nil {
		t.Fatal(err)
	}
	if got := g.received(3, 1); !strings.HasSuffix(got[0].Text, "\nIt ships today.") {
		t.Fatalf("the Gorgias reply came as:\n%s", showSent(got))
	}

	g.settle()
	g.clock.Advance(25 * time.Hour)
	if _, err := gsim.Reply(tk.ID, "Anything else?"); err != nil {
		t.Fatal(err)
	}
	g.waitFor("a note on the ticket", func() bool {
		tk, _ := gsim.TicketByExternalID(s.ID)
		return slices.ContainsFunc(tk.Messages, func(m gorgiassim.Message) bool {
			return !m.Public && strings.Contains(m.Text(), "did not receive")
		})
	})
	g.settle()
	if out := g.sim.Outbound(janeWA); len(out) != 4 {
		t.Errorf("something was sent after the window:\n%s", showSent(out[4:]))
	}
}
