package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/channel/whatsapp/whatsappsim"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

// waStory is the demo bot on a WhatsApp channel, with the WhatsApp
// simulator as Meta and Jane as the customer.
type waStory struct {
	*story
	sim       *whatsappsim.Sim
	channelID string
	webhook   string
}

const (
	janeWA   = "16315551181"
	janeName = "Jane Doe"
)

// newWAStory starts a server with the demo bot (livechat settings, nil for
// the defaults), a simulator, and a WhatsApp channel created through the
// admin API (settings added to its whatsapp object by tweak), subscribed
// as Meta's dashboard does.
func newWAStory(t *testing.T, settings *livechat.Settings, tweak func(map[string]any)) *waStory {
	t.Helper()
	return newWAStoryOn(t, "livechat-demo", nil, settings, tweak)
}

// newWAStoryOn is newWAStory with the channel on botID, one of the demo
// bot and the extra bots.
func newWAStoryOn(t *testing.T, botID string, extra []app.BotConfig, settings *livechat.Settings, tweak func(map[string]any)) *waStory {
	t.Helper()
	return newWAStoryAt(t, testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), botID, extra, settings, tweak)
}

// newWAStoryAt is newWAStoryOn on a clock of the caller's (that a
// platform's simulator shares).
func newWAStoryAt(t *testing.T, clock *testclock.Clock, botID string, extra []app.BotConfig, settings *livechat.Settings, tweak func(map[string]any)) *waStory {
	t.Helper()
	srv := startServer(t, clock, settings, extra...)
	sim := whatsappsim.New(whatsappsim.Config{PhoneNumberID: "106540352242922", AccessToken: "wa-token", AppSecret: "wa-app-secret", VerifyToken: "wa-verify", Now: clock.Now})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	wa := map[string]any{"phone_number_id": "106540352242922", "access_token": "wa-token", "app_secret": "wa-app-secret", "verify_token": "wa-verify", "api_base": sim.URL() + "/v21.0"}
	if tweak != nil {
		tweak(wa)
	}
	channelID, webhook := createChannel(t, srv, map[string]any{"bot_id": botID, "type": "whatsapp", "whatsapp": wa})
	if err := sim.Subscribe(context.Background(), webhook); err != nil {
		t.Fatal(err)
	}
	g := &waStory{sim: sim, channelID: channelID, webhook: webhook}
	g.story = &story{t: t, srv: srv, clock: clock, user: switchboard.ClientKey{BotID: botID, ChannelID: channelID, UserID: janeWA},
		waitDeliveries: func(context.Context) error { return nil }}
	return g
}

// createChannel creates a channel through the admin API and returns its
// id and webhook URL.
func createChannel(t *testing.T, srv *server, body map[string]any) (id, webhookURL string) {
	t.Helper()
	status, raw := adminCall(t, srv, http.MethodPost, "/v1/admin/channels", body)
	if status != http.StatusCreated {
		t.Fatalf("create the %s channel: %d %s", body["type"], status, raw)
	}
	var created struct {
		Channel struct {
			ID         string `json:"id"`
			WebhookURL string `json:"webhook_url"`
		} `json:"channel"`
	}
	if err := json.Unmarshal(raw, &created); err != nil {
		t.Fatal(err)
	}
	return created.Channel.ID, created.Channel.WebhookURL
}

// adminCall makes one admin API call with the admin token.
func adminCall(t *testing.T, srv *server, method, path string, body any) (int, []byte) {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(srv.cfg.DataDir, app.AdminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	var in io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		in = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, srv.app.URL()+path, in)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// write is Jane writing text.
func (g *waStory) write(text string) {
	g.t.Helper()
	if _, err := g.sim.CustomerText(context.Background(), janeWA, janeName, text); err != nil {
		g.t.Fatal(err)
	}
}

// press is Jane tapping a reply button or list row.
func (g *waStory) press(id string) {
	g.t.Helper()
	if _, err := g.sim.CustomerPress(context.Background(), janeWA, janeName, id); err != nil {
		g.t.Fatal(err)
	}
}

// received waits until Jane has n messages from the business and returns
// those after the first skip.
func (g *waStory) received(skip, n int) []whatsappsim.Sent {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := g.sim.WaitOutbound(ctx, janeWA, skip+n)
	if err != nil {
		g.t.Fatalf("%v; got %s", err, showSent(out))
	}
	return out[skip:]
}

// showSent lists messages for failures.
func showSent(ms []whatsappsim.Sent) string {
	var parts []string
	for _, m := range ms {
		s := m.Type + ":" + m.Text
		for _, b := range append(m.Buttons, m.ListRows...) {
			s += " [" + b.ID + "|" + b.Title + "]"
		}
		if m.Template != nil {
			s += " template " + m.Template.Name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}

// texts are the texts of messages.
func texts(ms []whatsappsim.Sent) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// liveSession waits for the user's session to be live and returns it.
func (g *story) liveSession() switchboard.Session {
	g.t.Helper()
	var s *switchboard.Session
	g.waitFor("a livechat session", func() bool {
		err := g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
			var err error
			s, err = tx.FindLiveSession(context.Background(), g.user)
			return err
		})
		if err != nil {
			g.t.Fatal(err)
		}
		return s != nil && s.State == switchboard.SessionActive
	})
	return *s
}

// handOver is Jane greeting the bot and asking for a human: it returns her
// session once live, with the greeting, the menu and the connecting
// message on her phone.
func (g *waStory) handOver() switchboard.Session {
	g.t.Helper()
	g.write("Hi")
	g.received(0, 2)
	g.press("LIVECHAT_SESSION_START")
	g.received(2, 1)
	return g.liveSession()
}
