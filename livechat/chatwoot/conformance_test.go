package chatwoot_test

import (
	"testing"
	"time"

	"switchboard/internal/simkit/simtest"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/providertest"
)

// checked saves settings the way switchboard does on save: Check finds the
// account and makes the inbox; the result reaches the simulator.
func checked(t *testing.T, c *chatwoot.Client, sim *chatwootsim.Server) livechat.Settings {
	t.Helper()
	s := livechat.Settings{Platform: livechat.PlatformChatwoot, Token: "bot-token", Chatwoot: &livechat.ChatwootSettings{
		URL: sim.URL, AccessToken: chatwootsim.DefaultUser.Token,
	}}
	out, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "b", Settings: s, PublicURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return out
}

// view is a simulator conversation as the conformance suite reads it.
func view(cv chatwootsim.Conversation) providertest.Ticket {
	out := providertest.Ticket{Closed: cv.Status == "resolved"}
	for _, m := range cv.Messages {
		if m.MessageType == chatwootsim.TypeActivity {
			continue
		}
		pm := providertest.Message{Text: m.Text(), Internal: m.Private, FromUser: m.MessageType == chatwootsim.TypeIncoming}
		for _, a := range m.Attachments {
			pm.Attachments = append(pm.Attachments, a.DataURL)
		}
		out.Messages = append(out.Messages, pm)
	}
	return out
}

func TestConformance(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	c := chatwoot.New(chatwoot.Options{})
	good := checked(t, c, sim)
	providertest.Run(t, providertest.Platform{
		Name:     livechat.PlatformChatwoot,
		Provider: c,
		Settings: func(valid bool) livechat.Resolved {
			s := good
			cw := *s.Chatwoot
			if !valid {
				cw.AccessToken = "not-the-token"
			}
			s.Chatwoot = &cw
			return s.Resolve()
		},
		Ticket: func(t *testing.T, sessionID string) (providertest.Ticket, bool) {
			cv, ok := sim.ConversationBySource(sessionID)
			return view(cv), ok
		},
		Tickets: func(t *testing.T, sessionID string) int {
			n := 0
			for _, cv := range sim.Conversations() {
				if cv.SourceID == sessionID {
					n++
				}
			}
			return n
		},
		Throttle:     func(n int) { sim.Throttle(n, time.Second) },
		LoseAnswers:  sim.FailAfterApply,
		FilesAsLinks: true,
	})
}
