package webapp_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"switchboard/appearance"
	"switchboard/engine"
	"switchboard/internal/browsertest"
)

// TestScreenshotsOfTheChatPage takes the pictures of docs/screenshots (see
// docs/testing.md): a shop's chat page, light and dark, at a laptop's and a
// phone's width, talking to an agent, and its widget open on the shop's
// page.
func TestScreenshotsOfTheChatPage(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, map[string]http.HandlerFunc{"GET /shop.html": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Acme</title><main><h1>Acme Shop</h1><p>Everything for your garden.</p></main>
<script src="/webapp/widget.js" data-channel="%s"></script>`, channelID)
	}})
	f.runOutbox(t)
	f.setLook(t, appearance.Appearance{Name: "Acme Shop", Logo: shopLook.Logo, Accent: "#0f6b3a", AccentText: "#ffffff",
		WelcomeTitle: "Hello!", WelcomeText: "Ask us anything: a person answers in minutes."})
	for _, shot := range []struct {
		name          string
		width, height int64
		mobile        bool
		scheme        string
	}{
		{"chat-light-1440", browsertest.DesktopWidth, browsertest.DesktopHeight, false, "light"},
		{"chat-dark-1440", browsertest.DesktopWidth, browsertest.DesktopHeight, false, "dark"},
		{"chat-light-390", browsertest.PhoneWidth, browsertest.PhoneHeight, true, "light"},
		{"chat-dark-390", browsertest.PhoneWidth, browsertest.PhoneHeight, true, "dark"},
	} {
		t.Run(shot.name, func(t *testing.T) {
			p := slowTab(t, browser, f)
			browsertest.Viewport(t, p.ctx, shot.width, shot.height, shot.mobile)
			p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: shot.scheme}}})
				return err
			}))
			p.open("/chat/" + channelID)
			p.do(chromedp.Click(chromedp.CSS(`button[data-payload="LIVECHAT_SESSION_START"]`)))
			s := f.activeSession(t, p.userID())
			p.say("Hi, my parcel has not arrived")
			p.wait(`[...document.querySelectorAll("#messages .msg.user .bubble")].some(b => b.textContent === "Hi, my parcel has not arrived")`)
			if err := f.engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alice", Text: "Hello, I am **Alice**: let me check your order."}); err != nil {
				t.Fatal(err)
			}
			p.wait(`document.getElementById("livechat-status").textContent === "You are talking to Alice" && document.querySelectorAll(".msg.agent").length === 1`)
			browsertest.Screenshot(t, p.ctx, shot.name)
			browsertest.Axe(t, p.ctx)
		})
	}
	t.Run("widget-1440", func(t *testing.T) {
		p := slowTab(t, browser, f)
		browsertest.Viewport(t, p.ctx, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
		p.do(chromedp.Navigate(f.server.URL + "/shop.html"))
		p.wait(`document.querySelector(".switchboard-widget-button") !== null`)
		p.do(chromedp.Click(chromedp.CSS(".switchboard-widget-button")))
		p.wait(`document.querySelector("iframe")?.contentDocument?.querySelector(".msg.bot .bubble") !== null`)
		browsertest.Screenshot(t, p.ctx, "widget-1440")
		browsertest.Axe(t, p.ctx)
	})
}

// slowTab is openTab for tests that do many steps on one page (each with
// axe-core): 90 seconds, so a loaded machine does not fail them.
func slowTab(t *testing.T, browser context.Context, f *fixture) *page {
	t.Helper()
	return &page{t: t, f: f, ctx: browsertest.Tab(t, browser, 90*time.Second)}
}
