package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// csat reads the surveys of the demo bot.
func (g *story) csat() []switchboard.CSATAnswer {
	g.t.Helper()
	_, answers, err := g.srv.app.Engine.CSAT(context.Background(), switchboard.CSATFilter{BotID: "livechat-demo"})
	if err != nil {
		g.t.Fatal(err)
	}
	return answers
}

// TestChatwootAvailabilityHandbackAndSurvey: the agents' availability in
// Chatwoot decides whether a session opens; the agent hands an order
// number back in the sign-off; the user rates the conversation.
func TestChatwootAvailabilityHandbackAndSurvey(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, func(s *livechat.Settings) {
		s.Availability = &livechat.Availability{Agents: livechat.AgentsOnline, WhenUnavailable: livechat.UnavailableRefuse}
		s.CSAT = &livechat.CSAT{}
	})
	if err := c.sim.SetAvailability(chatwootsim.DefaultUser.ID, "busy"); err != nil {
		t.Fatal(err)
	}
	c.say("hello")
	if r := c.click(switchboard.PayloadSessionStart, "Talk to a human"); r.Session != nil || !c.botSaid("Nobody can answer right now") {
		t.Fatalf("a session opened while every agent was busy: %+v", r.Session)
	}
	if err := c.sim.SetAvailability(chatwootsim.DefaultUser.ID, "online"); err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(time.Minute) // past the cached count
	s := c.start()

	c.reply(s, "Found your order.")
	c.reply(s, "All set!\n#handback order_id=1234\nLIVECHAT_SESSION_END")
	c.waitFor("the sign-off", func() bool { return slices.Contains(c.fromAgents(), "All set!") })
	if leaked := c.leaked("#handback", "order_id="); len(leaked) != 0 {
		t.Fatalf("the user saw %q", leaked)
	}
	r := c.click(switchboard.PayloadSessionEnd, "End the conversation")
	if !c.botSaid("Your order number is 1234") {
		t.Fatalf("the bot did not read event.handback: %+v", r.Messages)
	}
	if last := describe(r.Messages[len(r.Messages)-1]); last != "question:"+livechat.DefaultCSATQuestion {
		t.Fatalf("no survey after the bot's replies: %s", last)
	}
	r = c.click("LIVECHAT_CSAT_5", "5")
	if len(r.Messages) != 1 || describe(r.Messages[0]) != livechat.DefaultCSATThanks {
		t.Fatalf("after the rating: %+v", r.Messages)
	}
	got := c.csat()
	if len(got) != 1 || got[0].Rating != 5 || got[0].Platform != livechat.PlatformChatwoot || got[0].SessionID != s.ID || got[0].AgentName == "" {
		t.Fatalf("stored surveys: %+v", got)
	}
}

// TestGorgiasOfflineTicketAndHandback: on a Saturday in New York the team
// is closed: the ticket opens offline, the user is told when the team is
// back and the agent sees why on the ticket; the sign-off macro hands a
// value back.
func TestGorgiasOfflineTicketAndHandback(t *testing.T) {
	week := []livechat.Shift{{From: "09:00", To: "17:00"}}
	g := newGorgiasStory(t, gorgiassim.Config{}, func(s *livechat.Settings) {
		s.Availability = &livechat.Availability{
			TimeZone: "America/New_York", WhenUnavailable: livechat.UnavailableTicket,
			Weekly: map[string][]livechat.Shift{"monday": week, "tuesday": week, "wednesday": week, "thursday": week, "friday": week},
		}
	})
	// Saturday 21 November 2026, 04:00 in New York.
	r := g.say("hello")
	if !g.botSaid("Our team is away right now. They are back Monday 23 November 09:00 (America/New_York).") {
		t.Fatalf("the bot did not read _metadata.livechat: %+v", r.Messages)
	}
	s := g.start()
	want := "question:" + strings.ReplaceAll(livechat.DefaultTicketMessage, "{next_open}", "Monday 23 November 09:00 (America/New_York)")
	if h := g.history(); !slices.ContainsFunc(h, func(m switchboard.Message) bool { return describe(m) == want }) {
		t.Fatalf("the user was not told when: %v", h)
	}
	if wait := s.Timeout; wait < 53*time.Hour {
		t.Fatalf("the offline ticket waits %s only", wait)
	}
	g.waitFor("the agent's note", func() bool {
		return slices.ContainsFunc(g.ticket(s).Messages, func(m gorgiassim.Message) bool {
			return m.Internal() && strings.Contains(m.Text(), "Offline ticket: opened when the team was closed")
		})
	})

	if _, err := g.sim.Act(g.ticketID(s), gorgiassim.Action{Kind: gorgiassim.ActMacro, Text: "Thanks for waiting!\n#handback order_id=1234"}); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the sign-off", func() bool { return slices.Contains(g.fromAgents(), "Thanks for waiting!") })
	for _, m := range g.history() {
		if strings.Contains(string(m.Payload.Content), "#handback") {
			t.Fatalf("the user saw the handback line: %s", m.Payload.Content)
		}
	}
	g.click(switchboard.PayloadSessionEnd, "End the conversation")
	if !g.botSaid("Your order number is 1234") {
		t.Fatal("the bot did not read event.handback")
	}
}
