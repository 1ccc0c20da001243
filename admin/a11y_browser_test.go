package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"switchboard/internal/browsertest"
)

// clear empties a field as a person selecting its text and deleting would.
func clear(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	browsertest.Eval[any](t, tab, `(e => { e.value = ""; e.dispatchEvent(new Event("input")); })(document.querySelector(`+browsertest.JSString(sel)+`))`)
}

// TestAdminSettingsTellSavedFromDefault: a livechat setting shows the value
// in effect, never a grey placeholder, marked "default" until an
// administrator saves one of their own, then "saved"; a change not yet saved
// says so.
func TestAdminSettingsTellSavedFromDefault(t *testing.T) {
	f := newFixture(t)
	tab := adminTab(t, f, browsertest.Browser(t))
	browsertest.Navigate(t, tab, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, tab, "the livechat settings", present("#lc-timeout-origin"))
	if got := browsertest.Eval[[]string](t, tab, `["lc-timeout", "lc-open-timeout", "lc-end-message", "lc-end-label", "lc-connecting", "lc-transcript"].map(id =>
		[document.getElementById(id).value !== "", document.getElementById(id).placeholder === "", document.getElementById(id + "-origin")?.textContent].join(" "))`); len(got) != 6 {
		t.Fatalf("fields: %q", got)
	} else {
		for i, g := range got {
			if g != "true true default" {
				t.Errorf("setting %d before any save: value shown, no placeholder, mark = %q, want \"true true default\"", i, g)
			}
		}
	}
	if v := browsertest.Eval[string](t, tab, `document.getElementById("lc-timeout").value`); v != "30m" {
		t.Errorf("the session timeout shows %q, want the default 30m", v)
	}
	clear(t, tab, "#lc-timeout")
	typeIn(t, tab, "#lc-timeout", "5m")
	waitJS(t, tab, "the change marked unsaved", textHas("#lc-timeout-origin", "changed, not saved yet"))
	click(t, tab, "#lc-save")
	waitJS(t, tab, "the settings saved", textHas("#lc-status", "Saved"))
	waitJS(t, tab, "the timeout marked saved", textHas("#lc-timeout-origin", "saved")+` && document.getElementById("lc-timeout").value === "5m"`)
	waitJS(t, tab, "the others still defaults", textHas("#lc-open-timeout-origin", "default"))
	browsertest.Screenshot(t, tab, "admin-livechat-settings")
	browsertest.Axe(t, tab)
}

// TestAdminDashboardChartsAndPeriod: the dashboard's charts have a value
// axis with its scale and each day's count above its bar, and say their
// values to a screen reader; the period is a labelled selector as wide as
// its choices, not the whole row.
func TestAdminDashboardChartsAndPeriod(t *testing.T) {
	f := newFixture(t)
	f.liveSession("user-1")
	f.liveSession("user-2")
	tab := adminTab(t, f, browsertest.Browser(t))
	browsertest.Viewport(t, tab, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
	waitJS(t, tab, "the count", textHas("#kpi-sessions", "2"))
	ticks := browsertest.Eval[[]string](t, tab, `[...document.querySelectorAll("#chart-sessions text.tick")].map(e => e.textContent)`)
	if len(ticks) != 3 || ticks[0] != "0" || ticks[1] != "1" || ticks[2] != "2" {
		t.Errorf("the sessions chart's scale reads %q, want 0, 1, 2", ticks)
	}
	if got := browsertest.Eval[[]string](t, tab, `[...document.querySelectorAll("#chart-sessions text.value")].map(e => e.textContent)`); len(got) != 1 || got[0] != "2" {
		t.Errorf("values written above the bars: %q, want today's 2", got)
	}
	if n := browsertest.Eval[int](t, tab, browsertest.Count("#chart-sessions line.axis")); n != 2 {
		t.Errorf("the sessions chart has %d axis lines, want 2 (values and days)", n)
	}
	if l := browsertest.Eval[string](t, tab, `document.getElementById("chart-sessions").getAttribute("aria-label")`); !textContains(l, "Sessions per day: ", ": 2 sessions") {
		t.Errorf("the sessions chart's label for screen readers is %q", l)
	}
	if l := browsertest.Eval[string](t, tab, `document.getElementById("stats-days").labels[0]?.textContent ?? ""`); l != "Period" {
		t.Errorf("the period selector's label is %q, want Period", l)
	}
	if w := browsertest.Eval[float64](t, tab, `document.getElementById("stats-days").getBoundingClientRect().width`); w < 100 || w > 260 {
		t.Errorf("the period selector is %.0f pixels wide, want 100 to 260 (as wide as its choices)", w)
	}
	browsertest.Screenshot(t, tab, "admin-dashboard-charts")
	browsertest.Axe(t, tab)
}

// textContains holds when s contains every part.
func textContains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestAdminInviteExplainsThePassword: before anything is submitted the
// invite form says how the new agent's password works; a typed one is the
// agent's password and no generated one is shown.
func TestAdminInviteExplainsThePassword(t *testing.T) {
	f := newFixture(t)
	tab := adminTab(t, f, browsertest.Browser(t))
	browsertest.Navigate(t, tab, f.base+"/admin/#/agents")
	waitJS(t, tab, "the invite form", browsertest.Visible("#invite-password-hint"))
	hint := browsertest.Eval[string](t, tab, `document.getElementById("invite-password-hint").textContent`)
	if !textContains(hint, "Leave the password empty", "shown here once", "no e-mail is sent", "at least 8 characters") {
		t.Errorf("the invite form says before submit: %q", hint)
	}
	if got := browsertest.Eval[string](t, tab, `["invite-email", "invite-name", "invite-new-password"].map(id => document.getElementById(id).labels[0]?.textContent).join("|")`); got != "Email|Name shown to customers|Password (optional)" {
		t.Errorf("the invite fields' labels: %q", got)
	}
	browsertest.Axe(t, tab)
	typeIn(t, tab, "#invite-email", "lee@example.com")
	typeIn(t, tab, "#invite-name", "Lee")
	typeIn(t, tab, "#invite-new-password", "lee's own passphrase")
	click(t, tab, "#invite-admin")
	click(t, tab, "#invite-submit")
	waitJS(t, tab, "the invitation done", textHas("#invite-done", "Lee can sign in to the desk with the password you typed"))
	if browsertest.Eval[bool](t, tab, present("#invite-password")) {
		t.Error("a generated password is shown although one was typed")
	}
	f.signInAs("lee@example.com", "lee's own passphrase")
}

// TestAdminMenuByKeyboard: with the keyboard only, Tab reaches the menu,
// the focus shows a ring, and Enter opens the section.
func TestAdminMenuByKeyboard(t *testing.T) {
	f := newFixture(t)
	tab := adminTab(t, f, browsertest.Browser(t))
	browsertest.TabTo(t, tab, `header nav a[href="#/agents"]`)
	browsertest.AssertFocusRing(t, tab)
	browsertest.Press(t, tab, kb.Enter)
	waitJS(t, tab, "the agents page", textHas("#view h1", "Agents"))
	browsertest.TabTo(t, tab, "#invite-email")
	browsertest.AssertFocusRing(t, tab)
}
