package app_test

import (
	"context"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// gorgiasStory is a story whose demo bot hands over to a simulated Gorgias
// account, with the HTTP integration set up as a shop would: the URL
// `switchboard livechat url` prints, on ticket-message-created.
type gorgiasStory struct {
	*story
	sim *gorgiassim.Server
}

// gorgiasSettings reach the simulator with its agent's credentials.
func gorgiasSettings(sim *gorgiassim.Server) *livechat.Settings {
	return &livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{
		Domain: sim.URL, Username: gorgiassim.DefaultUser.Email, APIKey: gorgiassim.DefaultUser.APIKey,
	}}
}

// newGorgiasStory starts the simulator and the server; triggers are the
// integration's (default: ticket-message-created only, as CSML Studio's).
func newGorgiasStory(t *testing.T, simCfg gorgiassim.Config, tweak func(*livechat.Settings), triggers ...string) *gorgiasStory {
	t.Helper()
	g := newGorgiasStoryUnhooked(t, simCfg, tweak)
	g.hook(gorgiasReceiveURL, triggers...)
	return g
}

// newGorgiasStoryUnhooked is newGorgiasStory without the HTTP integration.
func newGorgiasStoryUnhooked(t *testing.T, simCfg gorgiassim.Config, tweak func(*livechat.Settings)) *gorgiasStory {
	t.Helper()
	if simCfg.RateLimit == 0 {
		simCfg.RateLimit = -1 // the limiter runs on real time, the server on a test clock
	}
	// The simulator stamps messages on the server's clock, as a real Gorgias
	// and switchboard agree on the time (the poll reads those stamps).
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	if simCfg.Now == nil {
		simCfg.Now = clock.Now
	}
	sim, err := gorgiassim.Start("", simCfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	settings := gorgiasSettings(sim)
	if tweak != nil {
		tweak(settings)
	}
	srv := startServer(t, clock, settings)
	return &gorgiasStory{story: newStory(t, srv, clock, sim.WaitDeliveries), sim: sim}
}

// hook adds the HTTP integration with the bot's receive URL, as receiveURL
// writes it for the server's URL and the bot's token.
func (g *gorgiasStory) hook(receiveURL func(publicURL, token string) string, triggers ...string) {
	g.t.Helper()
	token, err := g.srv.app.Livechat.Token(context.Background(), "livechat-demo")
	if err != nil {
		g.t.Fatal(err)
	}
	h := gorgiassim.HTTPHooks{URL: receiveURL(g.srv.app.URL(), token), Triggers: map[string]bool{}}
	for _, tr := range triggers {
		h.Triggers[tr] = true
	}
	if _, err := g.sim.AddIntegration(h); err != nil {
		g.t.Fatal(err)
	}
}

// gorgiasReceiveURL is the URL switchboard prints for the integration.
var gorgiasReceiveURL = gorgias.ReceiveURL

// csmlStudioURL is the URL CSML Studio gave users to paste, on
// switchboard's host with the bot's token at the end.
func csmlStudioURL(publicURL, token string) string {
	return publicURL + gorgias.ReceivePath + "?external_id={{ticket.external_id}}&ticket_id={{ticket.id}}&event_type={{event.type}}" +
		"&event_id={{event.id}}&message_id={{event.object_id}}&text={{message.body_text}}&from_agent={{message.from_agent}}&token=" + token
}

// deliveryStatuses counts the simulator's deliveries by HTTP status.
func (g *gorgiasStory) deliveryStatuses() map[int]int {
	out := map[int]int{}
	for _, d := range g.sim.Deliveries() {
		out[d.Status]++
	}
	return out
}

// ticket returns the session's ticket on the simulator.
func (g *gorgiasStory) ticket(s switchboard.Session) gorgiassim.Ticket {
	g.t.Helper()
	tk, ok := g.sim.TicketByExternalID(s.ID)
	if !ok {
		g.t.Fatalf("no ticket for session %s", s.ID)
	}
	return tk
}

// ticketID is the session's ticket id on the simulator.
func (g *gorgiasStory) ticketID(s switchboard.Session) int64 { return g.ticket(s).ID }

// userTexts lists the user's messages on the ticket, in order, after the
// first one (switchboard's "asked to talk to an agent").
func userTexts(tk gorgiassim.Ticket) []string {
	var out []string
	for _, m := range tk.Messages {
		if !m.FromAgent {
			out = append(out, m.Text())
		}
	}
	if len(out) > 0 {
		out = out[1:]
	}
	return out
}
