package webapp_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchboard/internal/browsertest"
)

// TestChatByKeyboardOnly: a visitor without a mouse tabs to the bot's
// button and presses it with Space, tabs to the message box, types and sends
// with Enter, and sends again with the Send button pressed by Enter; the
// focus always shows a ring.
func TestChatByKeyboardOnly(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, nil)
	f.runOutbox(t)
	p := openTab(t, browser, f)
	p.open("/chat/" + channelID)
	p.wait(`document.querySelector('button[data-payload="LIVECHAT_SESSION_START"]') !== null`)
	eval[any](p, `document.activeElement?.blur(), 0`)

	browsertest.TabTo(t, p.ctx, `button[data-payload="LIVECHAT_SESSION_START"]`)
	browsertest.AssertFocusRing(t, p.ctx)
	browsertest.Press(t, p.ctx, " ")
	p.wait(`document.getElementById("livechat-status").textContent.startsWith("Connecting you to an agent…")`)

	browsertest.TabTo(t, p.ctx, "#composer-input")
	browsertest.AssertFocusRing(t, p.ctx)
	browsertest.Press(t, p.ctx, "Hello by keyboard")
	browsertest.Press(t, p.ctx, kb.Enter)
	p.wait(`[...document.querySelectorAll(".msg.user .bubble")].some(b => b.textContent === "Hello by keyboard")`)

	browsertest.Press(t, p.ctx, "And with the button")
	browsertest.TabTo(t, p.ctx, "#composer-send")
	browsertest.AssertFocusRing(t, p.ctx)
	browsertest.Press(t, p.ctx, kb.Enter)
	p.wait(`[...document.querySelectorAll(".msg.user .bubble")].some(b => b.textContent === "And with the button")`)
	browsertest.Axe(t, p.ctx)
}

// TestChatDarkColoursPassAxe: in a dark colour scheme too, the chat page's
// text (the bot's, the user's, the status notes) meets WCAG AA contrast.
func TestChatDarkColoursPassAxe(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, nil)
	f.runOutbox(t)
	p := openTab(t, browser, f)
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}))
	p.open("/chat/" + channelID)
	p.wait(`matchMedia("(prefers-color-scheme: dark)").matches && document.querySelector('button[data-payload="LIVECHAT_SESSION_START"]') !== null`)
	browsertest.Click(t, p.ctx, `button[data-payload="LIVECHAT_SESSION_START"]`)
	p.wait(`document.querySelector(".msg.system .bubble") !== null`)
	browsertest.Axe(t, p.ctx)
}
