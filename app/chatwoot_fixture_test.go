package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// chatwootStory is a story whose demo bot hands over to a simulated
// Chatwoot instance, set up as a team would: the instance URL and an
// access token in the bot's settings, the inbox made on save.
type chatwootStory struct {
	*story
	sim *chatwootsim.Server
}

// chatwootSettings reach the simulator with its administrator's token.
func chatwootSettings(sim *chatwootsim.Server) *livechat.Settings {
	return &livechat.Settings{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{
		URL: sim.URL, AccessToken: chatwootsim.DefaultUser.Token,
	}}
}

// newChatwootStory starts the simulator (on the test's clock, which signs
// its webhooks) and the server, whose start saves the settings.
func newChatwootStory(t *testing.T, simCfg chatwootsim.Config, tweak func(*livechat.Settings)) *chatwootStory {
	t.Helper()
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	simCfg.Now = clock.Now
	sim, err := chatwootsim.Start("", simCfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	settings := chatwootSettings(sim)
	if tweak != nil {
		tweak(settings)
	}
	srv := startServer(t, clock, settings)
	if n := len(sim.Inboxes()); n != 1 {
		t.Fatalf("inboxes after the start = %d, want 1", n)
	}
	return &chatwootStory{story: newStory(t, srv, clock, sim.WaitDeliveries), sim: sim}
}

// conversation returns the session's conversation on the simulator.
func (c *chatwootStory) conversation(s switchboard.Session) chatwootsim.Conversation {
	c.t.Helper()
	cv, ok := c.sim.ConversationBySource(s.ID)
	if !ok {
		c.t.Fatalf("no conversation for session %s", s.ID)
	}
	return cv
}

// conversationID is the session's conversation's display id.
func (c *chatwootStory) conversationID(s switchboard.Session) int64 {
	return c.conversation(s).DisplayID
}

// act does an agent's action in the session's conversation.
func (c *chatwootStory) act(s switchboard.Session, a chatwootsim.Action) *chatwootsim.Message {
	c.t.Helper()
	m, err := c.sim.Act(c.conversationID(s), a)
	if err != nil {
		c.t.Fatal(err)
	}
	return m
}

// reply posts an agent's public reply.
func (c *chatwootStory) reply(s switchboard.Session, text string) *chatwootsim.Message {
	return c.act(s, chatwootsim.Action{Kind: chatwootsim.ActReply, Text: text})
}

// incoming lists the user's messages in the conversation, in order.
func incoming(cv chatwootsim.Conversation) []string {
	var out []string
	for _, m := range cv.Messages {
		if m.MessageType == chatwootsim.TypeIncoming {
			out = append(out, m.Text())
		}
	}
	return out
}

// notes lists the conversation's private notes.
func notes(cv chatwootsim.Conversation) []string {
	var out []string
	for _, m := range cv.Messages {
		if m.Private {
			out = append(out, m.Text())
		}
	}
	return out
}

// leaked reports what of the given texts reached the user.
func (c *chatwootStory) leaked(texts ...string) []string {
	var out []string
	for _, m := range c.history() {
		body := string(m.Payload.Content)
		for _, t := range texts {
			if strings.Contains(body, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// token is the bot's webhook token.
func (c *chatwootStory) token() string {
	c.t.Helper()
	tok, err := c.srv.app.Livechat.Token(context.Background(), "livechat-demo")
	if err != nil {
		c.t.Fatal(err)
	}
	return tok
}
