package admin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard"
	"switchboard/internal/browsertest"
)

var (
	waitJS  = browsertest.WaitJS
	click   = browsertest.Click
	typeIn  = browsertest.Type
	present = browsertest.Present
	textHas = browsertest.TextHas
)

// adminTab opens the administration in a fresh browser and signs in.
func adminTab(t *testing.T, f *fixture, browser context.Context) context.Context {
	t.Helper()
	tab := browsertest.Tab(t, browser, 2*time.Minute)
	browsertest.Navigate(t, tab, f.base+"/admin/")
	typeIn(t, tab, "#login-email", adminEmail)
	typeIn(t, tab, "#login-password", agentPassword)
	click(t, tab, "#login-submit")
	waitJS(t, tab, "the dashboard", present("#kpi-sessions"))
	return tab
}

// openChat opens a chat page and waits for the demo bot's menu.
func openChat(t *testing.T, tab context.Context, url string) {
	t.Helper()
	browsertest.Navigate(t, tab, url)
	waitJS(t, tab, "the bot's menu", present(`button[data-payload="LIVECHAT_SESSION_START"]`))
}

// TestAdminPagesInABrowser: an administrator imports a bot, adds a channel,
// changes the session timeout and sees new sessions use it, and ends a
// session by force while the user watches the bot come back.
func TestAdminPagesInABrowser(t *testing.T) {
	f := newFixture(t)
	browser := browsertest.Browser(t)
	admin := adminTab(t, f, browser)

	// A non-administrator is turned away at sign-in.
	other := browsertest.Tab(t, browser, time.Minute)
	browsertest.Navigate(t, other, f.base+"/admin/")
	typeIn(t, other, "#login-email", agentEmail)
	typeIn(t, other, "#login-password", agentPassword)
	click(t, other, "#login-submit")
	waitJS(t, other, "the refusal", textHas("#login-error", "is not an administrator"))

	// Import a bot: validate a broken one, then import a good one.
	browsertest.Navigate(t, admin, f.base+"/admin/#/bots")
	browsertest.ChooseFile(t, admin, "#import-file", zipBot(t, "broken", "start:\n  say (\n"), "broken.zip")
	click(t, admin, "#validate-submit")
	waitJS(t, admin, "the validation errors", textHas("#validate-status", "has errors")+" && "+textHas("#diagnostics", "line"))
	browsertest.ChooseFile(t, admin, "#import-file", zipBot(t, "shop", shopFlow), "shop.zip")
	click(t, admin, "#import-submit")
	waitJS(t, admin, "the import", textHas("#import-status", "Imported livechat demo")+" || "+textHas("#import-status", "Imported"))
	waitJS(t, admin, "the bot in the list", present(`tr[data-bot-id="shop"]`))

	// Add an API channel to it: the secret is shown once.
	click(t, admin, `tr[data-bot-id="shop"] a`)
	waitJS(t, admin, "the bot's page", textHas("#bot-title", "shop"))
	click(t, admin, "#channel-create")
	waitJS(t, admin, "the new credentials", present("#new-api-secret"))
	secret := browsertest.Eval[string](t, admin, `document.querySelector("#new-api-secret").value`)
	if !strings.HasPrefix(secret, "sk_") {
		t.Fatalf("secret shown: %q", secret)
	}
	waitJS(t, admin, "the channel in the list", present(`#channel-list tr[data-channel-id]`))
	if err := chromedp.Do(admin, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, admin, "the bot's page again", present(`#channel-list tr[data-channel-id]`))
	if html := browsertest.Eval[string](t, admin, "document.documentElement.outerHTML"); strings.Contains(html, secret) {
		t.Error("the API secret shows again after a reload")
	}

	// The channel may send conversations to the demo bot (goto ... in bot).
	typeIn(t, admin, "#channel-list input.multibot", "livechat-demo=demo")
	click(t, admin, "#channel-list button.multibot-save")
	waitJS(t, admin, "the bots saved", textHas("#channel-list .multibot-status", "Saved"))
	chID := browsertest.Eval[string](t, admin, `document.querySelector("#channel-list tr[data-channel-id]").dataset.channelId`)
	var ch *switchboard.Channel
	if err := f.app.Store.View(context.Background(), func(tx switchboard.Tx) (err error) { ch, err = tx.Channel(context.Background(), chID); return err }); err != nil ||
		len(ch.Multibot) != 1 || ch.Multibot[0] != (switchboard.MultiBot{ID: "livechat-demo", Name: "demo"}) {
		t.Fatalf("channel after the page saved its bots: %v %+v", err, ch)
	}

	// The demo bot's livechat: a 5-minute timeout, then a session uses it.
	browsertest.Navigate(t, admin, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, admin, "the livechat settings", present("#lc-timeout"))
	clear(t, admin, "#lc-timeout")
	typeIn(t, admin, "#lc-timeout", "5m")
	click(t, admin, "#lc-save")
	waitJS(t, admin, "the settings saved", textHas("#lc-status", "Saved"))
	user := browsertest.Tab(t, browser, 2*time.Minute)
	chatURL, _ := f.app.ChatURL(context.Background(), "livechat-demo")
	openChat(t, user, chatURL)
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	var s *switchboard.Session
	waitFor(t, "the session", func() bool {
		_ = f.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
			ss, err := tx.ListSessions(context.Background(), switchboard.SessionFilter{Limit: 1})
			if len(ss) == 1 {
				s = &ss[0]
			}
			return err
		})
		return s != nil
	})
	if s.Timeout != 5*time.Minute {
		t.Fatalf("the new session's timeout is %v, want the 5m just saved", s.Timeout)
	}

	// The sessions page lists it with its expiry; ending it by force gives
	// the user back to the bot.
	browsertest.Navigate(t, admin, f.base+"/admin/#/sessions")
	row := `#session-list tr[data-session-id="` + s.ID + `"]`
	waitJS(t, admin, "the live session", present(row))
	click(t, admin, row+" button.view")
	waitJS(t, admin, "its transcript", textHas("#transcript", "I am the switchboard demo bot"))
	browsertest.Axe(t, admin)
	click(t, admin, row+" button.end")
	click(t, admin, row+" button.end") // the second click confirms
	waitJS(t, admin, "the session ended", textHas("#detail-reason", "admin_ended"))
	waitJS(t, user, "the bot back on the chat page", textHas(".msg.bot", "Thanks for chatting with us today!"))

	// The dashboard counts it.
	browsertest.Navigate(t, admin, f.base+"/admin/#/dashboard")
	waitJS(t, admin, "the dashboard's count", textHas("#kpi-sessions", "1")+" && "+textHas(`#reasons [data-reason="admin_ended"]`, ": 1"))
	if n := browsertest.Eval[int](t, admin, `document.querySelectorAll("#chart-sessions rect.bar").length`); n != 30 {
		t.Errorf("sessions chart has %d bars, want 30 days", n)
	}

	// Agents: invite one; the password is shown once.
	browsertest.Navigate(t, admin, f.base+"/admin/#/agents")
	typeIn(t, admin, "#invite-email", "kim@example.com")
	typeIn(t, admin, "#invite-name", "Kim")
	click(t, admin, "#invite-submit")
	waitJS(t, admin, "the generated password", present("#invite-password"))
	browsertest.Axe(t, admin)
	waitJS(t, admin, "Kim in the list", textHas("#agent-list", "kim@example.com"))
	click(t, admin, `#agent-list tr:last-child button.toggle-disabled`)
	waitJS(t, admin, "Kim disabled", textHas("#agent-list tr:last-child", "disabled"))

	// Kim answers the demo bot only; then is signed out everywhere, and
	// gets a new password, shown once.
	click(t, admin, `#agent-list tr:last-child button.edit-bots`)
	click(t, admin, `#edit-bots .all-bots`)
	click(t, admin, `#edit-bots input[value="livechat-demo"]`)
	click(t, admin, `#save-bots`)
	waitJS(t, admin, "Kim's bot", textHas("#agent-list tr:last-child .agent-bots", "Livechat demo"))
	click(t, admin, `#agent-list tr:last-child button.signout`)
	click(t, admin, `#agent-list tr:last-child button.signout`)
	waitJS(t, admin, "signed out everywhere", present("#signout-done"))
	click(t, admin, `#agent-list tr:last-child button.reset-password`)
	click(t, admin, `#agent-list tr:last-child button.reset-password`)
	waitJS(t, admin, "the new password", present("#reset-password"))
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTheSessionsPageShowsMoreThanOnePage: past the first 100 sessions, "Show
// more" adds the next page below, and the page stops offering it at the end.
func TestTheSessionsPageShowsMoreThanOnePage(t *testing.T) {
	f := newFixture(t)
	for i := range 101 {
		f.liveSession(fmt.Sprintf("user-%03d", i))
	}
	admin := adminTab(t, f, browsertest.Browser(t))
	browsertest.Navigate(t, admin, f.base+"/admin/#/sessions")
	rows := `document.querySelectorAll("#session-list tr[data-session-id]").length`
	waitJS(t, admin, "the first page of sessions", rows+` === 100 && !document.querySelector("#sessions-more").hidden`)
	click(t, admin, "#sessions-more")
	waitJS(t, admin, "every session", rows+` === 101 && document.querySelector("#sessions-more").hidden`)
	if n := browsertest.Eval[int](t, admin, `new Set([...document.querySelectorAll("#session-list tr[data-session-id]")].map((r) => r.dataset.sessionId)).size`); n != 101 {
		t.Errorf("the two pages show %d different sessions, want 101", n)
	}
}
