package whatsappsim

import (
	"fmt"
	"testing"
	"time"

	"switchboard/internal/browsertest"
)

// TestPhonePageTalksAsACustomer uses the phone page as a person trying a
// bot would, on a phone and on a desktop: open a chat, write, see the
// business's reply buttons and list, tap them, see the ticks turn read and
// a message sent after the window closed fail; the page fits the screen
// and passes axe-core.
func TestPhonePageTalksAsACustomer(t *testing.T) {
	browser := browsertest.Browser(t)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{browsertest.PhoneWidth, browsertest.PhoneHeight, true}, {browsertest.DesktopWidth, browsertest.DesktopHeight, false}} {
		t.Run(fmt.Sprint(size.w), func(t *testing.T) {
			s, rc := start(t, Config{})
			ctx := wait(t)
			tab := browsertest.Tab(t, browser, time.Minute)
			browsertest.Viewport(t, tab, size.w, size.h, size.mobile)
			browsertest.Navigate(t, tab, s.URL()+"/")
			browsertest.WaitJS(t, tab, "the setup", browsertest.TextHas("#token", s.Config().AccessToken))
			browsertest.WaitJS(t, tab, "the webhook", browsertest.TextHas("#webhook", rc.srv.URL))
			browsertest.Axe(t, tab)

			browsertest.Click(t, tab, "#new-customer button[type=submit]")
			browsertest.Type(t, tab, "#text", "Hi, where is my order?")
			browsertest.Click(t, tab, "#send")
			browsertest.WaitJS(t, tab, "the customer's bubble", browsertest.TextHas(".bubble.me", "where is my order"))
			if err := s.WaitDeliveries(ctx); err != nil {
				t.Fatal(err)
			}
			if msgs, _ := rc.items(); len(msgs) != 1 || msgs[0]["from"] != "16315551181" {
				t.Fatalf("the webhook got %v", msgs)
			}

			if status, out := send(t, s, buttons("16315551181", "track", "human")); status != 200 {
				t.Fatalf("buttons: %d %v", status, out)
			}
			browsertest.WaitJS(t, tab, "the reply buttons", browsertest.Present(`[data-reply="human"]:not([disabled])`))
			browsertest.WaitJS(t, tab, "the read ticks", browsertest.Present(`.bubble:not(.me) .ticks.read`))
			browsertest.Click(t, tab, `[data-reply="human"]`)
			browsertest.WaitJS(t, tab, "the tap as a bubble", browsertest.TextHas(".bubble.me:last-child", "HUMAN"))

			list := map[string]any{"to": "16315551181", "type": "interactive", "interactive": map[string]any{"type": "list",
				"body": map[string]any{"text": "Which order?"}, "action": map[string]any{"button": "Orders", "sections": []any{
					map[string]any{"rows": []any{map[string]any{"id": "o-1", "title": "#1001", "description": "Blue mug"}, map[string]any{"id": "o-2", "title": "#1002"}}}}}}}
			if status, out := send(t, s, list); status != 200 {
				t.Fatalf("list: %d %v", status, out)
			}
			browsertest.WaitJS(t, tab, "the list", browsertest.Present(`details.list summary`))
			browsertest.WaitJS(t, tab, "the old buttons disabled", browsertest.Present(`[data-reply="human"][disabled]`))
			browsertest.Click(t, tab, `details.list summary`)
			browsertest.Click(t, tab, `[data-reply="o-1"]`)
			browsertest.WaitJS(t, tab, "the row as a bubble", browsertest.TextHas(".bubble.me:last-child", "#1001"))
			s.CloseWindow("16315551181")
			send(t, s, text("16315551181", "Are you still there?"))
			browsertest.WaitJS(t, tab, "the failed message", browsertest.TextHas(".bubble.failed", "131047"))
			browsertest.WaitJS(t, tab, "the closed window", browsertest.TextHas("#chat-sub", "Window closed"))
			if size.mobile {
				browsertest.WaitJS(t, tab, "no sideways scroll", browsertest.NoSideScroll)
			}
			browsertest.Axe(t, tab)
			browsertest.Screenshot(t, tab, fmt.Sprintf("whatsappsim-phone-%d", size.w))

			if err := s.WaitDeliveries(ctx); err != nil {
				t.Fatal(err)
			}
			msgs, _ := rc.items()
			if len(msgs) != 3 {
				t.Fatalf("the webhook got %d messages, want 3", len(msgs))
			}
			if r := msgs[1]["interactive"].(map[string]any); r["type"] != "button_reply" || r["button_reply"].(map[string]any)["id"] != "human" {
				t.Errorf("the button tap: %v", msgs[1])
			}
			if r := msgs[2]["interactive"].(map[string]any); r["type"] != "list_reply" || r["list_reply"].(map[string]any)["id"] != "o-1" {
				t.Errorf("the row tap: %v", msgs[2])
			}
		})
	}
}
