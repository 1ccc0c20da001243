package teamssim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/teams"
	"switchboard/channel/teams/teamssim"
	"switchboard/internal/browsertest"
)

// bot is a messaging endpoint over the Teams driver that answers every
// text with a question of two buttons and keeps the payloads pressed.
type bot struct {
	t       *testing.T
	conn    channel.Conn
	mu      sync.Mutex
	pressed []string
}

func (b *bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := b.conn.Verify(r.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	items, _ := b.conn.Parse(body)
	for _, it := range items {
		if it.Payload.ContentType == "payload" {
			var c struct{ Payload string }
			_ = json.Unmarshal(it.Payload.Content, &c)
			b.mu.Lock()
			b.pressed = append(b.pressed, c.Payload)
			b.mu.Unlock()
			continue
		}
		content, _ := json.Marshal(map[string]any{"title": "How can I help?", "buttons": []map[string]string{{"title": "Opening hours", "payload": "HOURS"}, {"title": "Talk to a human", "payload": "HUMAN"}}})
		m := switchboard.Message{ID: 1, Payload: switchboard.Payload{ContentType: "question", Content: content}}
		natives, _ := b.conn.Render(channel.ReadComponent(m, b.conn.Limits()), channel.Outgoing{Message: m, Metadata: it.Metadata})
		for _, n := range natives {
			if _, err := b.conn.Send(r.Context(), it.UserID, n); err != nil {
				b.t.Errorf("the bot's answer: %v", err)
			}
		}
	}
}

func (b *bot) pressedAll() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.pressed...)
}

// TestConsolePageWritesAndPresses uses the console page as a person trying
// a bot would, on a phone and on a desktop: set the messaging endpoint,
// install the bot for a user, write, see the bot's hero card and press a
// button, whose payload reaches the bot; the page fits the screen and
// passes axe-core.
func TestConsolePageWritesAndPresses(t *testing.T) {
	browser := browsertest.Browser(t)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{browsertest.PhoneWidth, browsertest.PhoneHeight, true}, {browsertest.DesktopWidth, browsertest.DesktopHeight, false}} {
		t.Run(fmt.Sprint(size.w), func(t *testing.T) {
			sim := start(t, teamssim.Config{})
			raw, _ := json.Marshal(sim.Settings())
			stored, err := teams.Driver{}.Setup(raw, channeltest.PlainSealer{}, "channel:console")
			if err != nil {
				t.Fatal(err)
			}
			conn, err := teams.Driver{}.Open(stored, channeltest.PlainSealer{}, "channel:console")
			if err != nil {
				t.Fatal(err)
			}
			b := &bot{t: t, conn: conn}
			srv := httptest.NewServer(b)
			defer srv.Close()

			tab := browsertest.Tab(t, browser, time.Minute)
			browsertest.Viewport(t, tab, size.w, size.h, size.mobile)
			browsertest.Navigate(t, tab, sim.URL()+"/")
			browsertest.WaitJS(t, tab, "the settings", browsertest.TextHas("#settings", teamssim.DefaultAppID))
			browsertest.Axe(t, tab)

			browsertest.Type(t, tab, "#endpoint", srv.URL+"/api/messages")
			browsertest.Click(t, tab, "#endpoint-form button")
			browsertest.Type(t, tab, "#new-name", "Ada Lovelace")
			browsertest.Click(t, tab, "#new-user button")
			browsertest.WaitJS(t, tab, "the user", browsertest.Present("#convs button"))
			browsertest.Click(t, tab, "#convs button")
			browsertest.Type(t, tab, "#text", "Hello bot")
			browsertest.Click(t, tab, "#composer button")
			browsertest.WaitJS(t, tab, "the user's message", browsertest.TextHas(".msg.user", "Hello bot"))
			browsertest.WaitJS(t, tab, "the bot's card", browsertest.TextHas(".msg.bot .card", "How can I help?"))
			browsertest.Click(t, tab, ".msg.bot .card button:last-child")
			browsertest.WaitJS(t, tab, "the press shown as the user's", browsertest.TextHas(".msg.user:last-child", "Talk to a human"))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for len(b.pressedAll()) == 0 {
				select {
				case <-ctx.Done():
					t.Fatal("the press never reached the bot")
				case <-time.After(20 * time.Millisecond):
				}
			}
			if got := b.pressedAll(); got[0] != "HUMAN" {
				t.Errorf("the bot got %v, want HUMAN", got)
			}
			if size.mobile {
				browsertest.WaitJS(t, tab, "no sideways scroll", browsertest.NoSideScroll)
			}
			browsertest.Axe(t, tab)
			browsertest.Screenshot(t, tab, fmt.Sprintf("teamssim-console-%d", size.w))
		})
	}
}
