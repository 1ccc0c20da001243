package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/messenger/messengersim"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

// msStory is the demo bot on a Messenger (or Instagram) channel, with the
// simulator as Meta and Jane as the user.
type msStory struct {
	*story
	sim       *messengersim.Sim
	channelID string
	webhook   string
}

// janePSID is Jane's page-scoped id.
const janePSID = "6123456789012345"

// newMSStory starts a server with the demo bot (livechat settings, nil for
// the defaults), a simulator (as Instagram with instagram), and a channel
// created through the admin API (its settings changed by tweak),
// subscribed as Meta's dashboard does.
func newMSStory(t *testing.T, instagram bool, settings *livechat.Settings, tweak func(map[string]any)) *msStory {
	t.Helper()
	return newMSStoryAt(t, testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), instagram, settings, tweak)
}

// newMSStoryAt is newMSStory on a clock of the caller's (that a
// platform's simulator shares).
func newMSStoryAt(t *testing.T, clock *testclock.Clock, instagram bool, settings *livechat.Settings, tweak func(map[string]any)) *msStory {
	t.Helper()
	srv := startServer(t, clock, settings)
	sim := messengersim.New(messengersim.Config{Instagram: instagram, PageAccessToken: "ms-token", AppSecret: "ms-app-secret", VerifyToken: "ms-verify", Now: clock.Now})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	typ, idField := "messenger", "page_id"
	if instagram {
		typ, idField = "instagram", "instagram_id"
	}
	ms := map[string]any{idField: sim.Config().AccountID, "page_access_token": "ms-token", "app_secret": "ms-app-secret", "verify_token": "ms-verify", "api_base": sim.URL() + "/v21.0"}
	if tweak != nil {
		tweak(ms)
	}
	status, body := adminCall(t, srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": typ, typ: ms})
	if status != http.StatusCreated {
		t.Fatalf("create the %s channel: %d %s", typ, status, body)
	}
	var created struct {
		Channel struct {
			ID         string `json:"id"`
			WebhookURL string `json:"webhook_url"`
		} `json:"channel"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	if err := sim.Subscribe(context.Background(), created.Channel.WebhookURL); err != nil {
		t.Fatal(err)
	}
	g := &msStory{sim: sim, channelID: created.Channel.ID, webhook: created.Channel.WebhookURL}
	g.story = &story{t: t, srv: srv, clock: clock, user: switchboard.ClientKey{BotID: "livechat-demo", ChannelID: g.channelID, UserID: janePSID},
		waitDeliveries: func(context.Context) error { return nil }}
	return g
}

// write is Jane writing text.
func (g *msStory) write(text string) {
	g.t.Helper()
	if _, err := g.sim.UserText(janePSID, "", text); err != nil {
		g.t.Fatal(err)
	}
}

// tap is Jane tapping a quick reply or a button.
func (g *msStory) tap(payload string) {
	g.t.Helper()
	if _, err := g.sim.UserTap(janePSID, payload); err != nil {
		g.t.Fatal(err)
	}
}

// received waits until Jane has n messages from the page after the first
// skip, and returns them.
func (g *msStory) received(skip, n int) []messengersim.Message {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := g.sim.WaitOutbound(ctx, janePSID, skip+n)
	if err != nil {
		g.t.Fatalf("%v; got %s", err, showMS(out))
	}
	return out[skip:]
}

// showMS lists messages for failures.
func showMS(ms []messengersim.Message) string {
	var parts []string
	for _, m := range ms {
		s := m.Kind + ":" + m.Text
		for _, c := range append(m.Buttons, m.QuickReplies...) {
			s += " [" + c.Payload + "|" + c.Title + "]"
		}
		if m.Tag != "" {
			s += " " + m.MessagingType + "/" + m.Tag
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}

// choices are the payloads a message offers, buttons or quick replies.
func choices(m messengersim.Message) []string {
	var out []string
	for _, c := range append(m.Buttons, m.QuickReplies...) {
		out = append(out, c.Payload)
	}
	return out
}

// waitInSession waits until the customer's text is in the session.
func (g *story) waitInSession(sessionID, text string) {
	g.t.Helper()
	g.waitFor("the customer's message in the session", func() bool {
		for _, m := range g.history() {
			if m.SessionID == sessionID && m.Direction == switchboard.DirectionReceive && describe(m) == text {
				return true
			}
		}
		return false
	})
}
