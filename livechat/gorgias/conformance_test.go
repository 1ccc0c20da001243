package gorgias_test

import (
	"testing"
	"time"

	"switchboard/internal/simkit/simtest"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
	"switchboard/livechat/providertest"
)

// settingsFor reaches the simulator with its agent's credentials, or with a
// wrong API key.
func settingsFor(sim *gorgiassim.Server, valid bool) livechat.Resolved {
	key := gorgiassim.DefaultUser.APIKey
	if !valid {
		key = "not-the-key"
	}
	return livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{
		Domain: sim.URL, Username: gorgiassim.DefaultUser.Email, APIKey: key,
	}}.Resolve()
}

// view is a simulator ticket as the conformance suite reads it.
func view(tk gorgiassim.Ticket) providertest.Ticket {
	out := providertest.Ticket{Closed: tk.Status == "closed"}
	for _, m := range tk.Messages {
		pm := providertest.Message{Text: m.Text(), Internal: m.Internal(), FromUser: !m.FromAgent}
		for _, a := range m.Attachments {
			pm.Attachments = append(pm.Attachments, a.URL)
		}
		out.Messages = append(out.Messages, pm)
	}
	return out
}

func TestConformance(t *testing.T) {
	sim := simtest.Start(t, gorgiassim.Start, gorgiassim.Config{RateLimit: -1})
	providertest.Run(t, providertest.Platform{
		Name:     livechat.PlatformGorgias,
		Provider: gorgias.New(gorgias.Options{}),
		Settings: func(valid bool) livechat.Resolved { return settingsFor(sim, valid) },
		Ticket: func(t *testing.T, sessionID string) (providertest.Ticket, bool) {
			tk, ok := sim.TicketByExternalID(sessionID)
			return view(tk), ok
		},
		Tickets: func(t *testing.T, sessionID string) int {
			n := 0
			for _, tk := range sim.Tickets() {
				if tk.ExternalID != nil && *tk.ExternalID == sessionID {
					n++
				}
			}
			return n
		},
		Throttle:    func(n int) { sim.Throttle(n, time.Second) },
		LoseAnswers: sim.FailAfterApply,
	})
}
