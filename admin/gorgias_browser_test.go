package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard/internal/browsertest"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasConfiguredFromThePage sets a bot up with Gorgias (its
// simulator) from the settings page, pastes the URL the page copies into
// the Gorgias HTTP integration, and checks that an agent's reply written in
// Gorgias reaches the user's chat page through it.
func TestGorgiasConfiguredFromThePage(t *testing.T) {
	sim, err := gorgiassim.Start("127.0.0.1:0", gorgiassim.Config{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	f := newFixture(t)
	browser := browsertest.Browser(t)
	admin := adminTab(t, f, browser)

	browsertest.Navigate(t, admin, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, admin, "the livechat settings", present("#lc-platform"))
	if err := chromedp.Do(admin, chromedp.SetValue(chromedp.CSS("#lc-platform"), "gorgias")); err != nil {
		t.Fatal(err)
	}
	browsertest.Eval[bool](t, admin, `document.querySelector("#lc-platform").dispatchEvent(new Event("change"))`)
	waitJS(t, admin, "the Gorgias fields", browsertest.Visible("#lc-gorgias-domain"))
	typeIn(t, admin, "#lc-gorgias-domain", sim.URL)
	typeIn(t, admin, "#lc-gorgias-username", gorgiassim.DefaultUser.Email)
	typeIn(t, admin, "#lc-gorgias-api-key", "a wrong key")
	click(t, admin, "#lc-save")
	waitJS(t, admin, "the refused credentials", textHas("#lc-error", "refused"))
	browsertest.Eval[string](t, admin, `document.querySelector("#lc-gorgias-api-key").value = ""`)
	typeIn(t, admin, "#lc-gorgias-api-key", gorgiassim.DefaultUser.APIKey)
	click(t, admin, "#lc-save")
	waitJS(t, admin, "the settings saved", textHas("#lc-status", "Saved"))

	// The key is never shown back, in the page or its fields.
	leaked := browsertest.Eval[bool](t, admin, `document.documentElement.outerHTML.includes(`+browsertest.JSString(gorgiassim.DefaultUser.APIKey)+`) ||
		[...document.querySelectorAll("input, textarea")].some(e => e.value.includes(`+browsertest.JSString(gorgiassim.DefaultUser.APIKey)+`))`)
	if leaked {
		t.Fatal("the Gorgias API key shows on the page after saving")
	}

	// Copy the URL to paste into Gorgias.
	browsertest.Eval[bool](t, admin, `(navigator.clipboard.writeText = async (text) => { window.copied = text; }, true)`)
	click(t, admin, "#lc-receive-url-copy")
	waitJS(t, admin, "the copy", textHas("#lc-receive-url-status", "Copied"))
	copied := browsertest.Eval[string](t, admin, `window.copied`)
	if !strings.HasPrefix(copied, f.base+"/v1/livechat/gorgias/receive?") || !strings.Contains(copied, "{{ticket.id}}") || !strings.Contains(copied, "token=") {
		t.Fatalf("copied %q", copied)
	}
	if _, err := sim.AddIntegration(gorgiassim.HTTPHooks{URL: copied, Triggers: map[string]bool{"ticket-message-created": true}}); err != nil {
		t.Fatal(err)
	}

	// A user asks for a human; the agent answers in Gorgias.
	user := browsertest.Tab(t, browser, 2*time.Minute)
	chatURL, _ := f.app.ChatURL(t.Context(), "livechat-demo")
	openChat(t, user, chatURL)
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	waitFor(t, "the Gorgias ticket", func() bool { return len(sim.Tickets()) == 1 })
	if _, err := sim.Reply(sim.Tickets()[0].ID, "Hello from Gorgias!"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, user, "the agent's reply on the chat page", textHas(".msg", "Hello from Gorgias!"))
}
