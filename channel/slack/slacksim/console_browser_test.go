package slacksim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/channel/slack/slacksim"
	"switchboard/internal/browsertest"
	"switchboard/internal/simkit/simtest"
)

// app is a Slack app's request URL: it answers url_verification and keeps
// the other deliveries' bodies.
type app struct {
	mu     sync.Mutex
	bodies []string
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var v struct{ Type, Challenge string }
	if json.Unmarshal(body, &v) == nil && v.Type == "url_verification" {
		_, _ = io.WriteString(w, v.Challenge)
		return
	}
	a.mu.Lock()
	a.bodies = append(a.bodies, string(body))
	a.mu.Unlock()
}

func (a *app) got(s string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, b := range a.bodies {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

// TestConsoleWritesAndPresses uses the console as a person trying a bot
// would, on a laptop and a phone: set the request URL (verified), add a
// person, write in their DM, press the bot's button; the page fits the
// screen and passes axe-core.
func TestConsoleWritesAndPresses(t *testing.T) {
	browser := browsertest.Browser(t)
	for _, size := range browsertest.Sizes {
		t.Run(size.Name, func(t *testing.T) {
			sim := start(t, slacksim.Config{})
			a := &app{}
			srv := httptest.NewServer(a)
			defer srv.Close()
			tab := browsertest.Tab(t, browser, time.Minute)
			size.Apply(t, tab)
			browsertest.Navigate(t, tab, sim.URL()+"/")
			browsertest.WaitJS(t, tab, "the token", browsertest.TextHas("#token", slacksim.DefaultBotToken))
			browsertest.Axe(t, tab)

			browsertest.Type(t, tab, "#url", srv.URL+"/hook")
			browsertest.Click(t, tab, "#subscribe button")
			browsertest.WaitJS(t, tab, "the request URL", browsertest.TextHas("#events", srv.URL+"/hook"))
			browsertest.Type(t, tab, "#newname", "Ada")
			browsertest.Click(t, tab, "#adduser button")
			browsertest.WaitJS(t, tab, "Ada's DM", browsertest.TextHas("#convs li:nth-child(2) button", "@Ada"))
			browsertest.Click(t, tab, "#convs li:nth-child(2) button")
			browsertest.Type(t, tab, "#text", "Hi, where is my order?")
			browsertest.Click(t, tab, "#write button")
			browsertest.WaitJS(t, tab, "Ada's message", browsertest.TextHas("#log li.user", "where is my order"))
			deadline := time.Now().Add(10 * time.Second)
			for !a.got("where is my order") && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if !a.got("where is my order") {
				t.Fatal("the app did not get Ada's message")
			}

			// The bot answers with a button; Ada presses it.
			c, _ := sim.Conversation("D00000001")
			_, out, _ := call(t, sim, "chat.postMessage", slacksim.DefaultBotToken, map[string]any{"channel": c.ID, "text": "Track it?",
				"blocks": []any{map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "button", "action_id": "a", "value": "TRACK", "text": map[string]any{"type": "plain_text", "text": "Track my order"}}}}}})
			if out["ok"] != true {
				t.Fatal(out)
			}
			browsertest.WaitJS(t, tab, "the bot's button", browsertest.TextHas("#log li.bot .acts button", "Track my order"))
			browsertest.Click(t, tab, "#log li.bot .acts button")
			browsertest.WaitJS(t, tab, "the press", browsertest.TextHas("#log li.bot .meta", "pressed TRACK"))
			simtest.WaitIdle(t, sim)
			if !a.got("block_actions") {
				t.Error("the app did not get the press")
			}
			if size.Mobile {
				browsertest.WaitJS(t, tab, "no sideways scroll", browsertest.NoSideScroll)
			}
			browsertest.Axe(t, tab)
			browsertest.Screenshot(t, tab, "slacksim-console-"+size.Name)
		})
	}
}
