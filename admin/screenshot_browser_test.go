package admin_test

import (
	"net/http"
	"testing"

	"switchboard/internal/browsertest"
)

// TestScreenshotsOfTheAdministration takes the administration's pictures
// of docs/screenshots (see docs/testing.md): each section at a laptop's
// width, and a bot's page, with its appearance and preview, at a phone's.
func TestScreenshotsOfTheAdministration(t *testing.T) {
	f := newFixture(t)
	browser := browsertest.Browser(t)
	f.script().must("PUT", "/v1/admin/bots/livechat-demo/appearance", map[string]any{"name": "Acme Shop", "accent": "#0f6b3a",
		"welcome_title": "Hello!", "welcome_text": "Ask us anything: a person answers in minutes."}, http.StatusOK, nil)
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
		sections      map[string]string
	}{
		{"1440", browsertest.DesktopWidth, browsertest.DesktopHeight, false, map[string]string{
			"dashboard": "admin-dashboard", "bots": "admin-bots", "bots/livechat-demo": "admin-bot", "sessions": "admin-sessions", "agents": "admin-agents"}},
		{"390", browsertest.PhoneWidth, browsertest.PhoneHeight, true, map[string]string{"bots/livechat-demo": "admin-bot"}},
	} {
		t.Run(size.name, func(t *testing.T) {
			tab := adminTab(t, f, browser)
			browsertest.Viewport(t, tab, size.width, size.height, size.mobile)
			for section, name := range size.sections {
				browsertest.Navigate(t, tab, f.base+"/admin/#/"+section)
				waitJS(t, tab, "the "+section+" view", present("#view h1")+" && "+present("#view .card, #view table"))
				if section == "bots/livechat-demo" {
					waitJS(t, tab, "the preview", present("#ap-preview .pv-name"))
					browsertest.Eval[bool](t, tab, `(document.querySelector("#appearance-section").scrollIntoView(), true)`)
				}
				browsertest.Screenshot(t, tab, name+"-"+size.name)
				browsertest.Axe(t, tab)
			}
		})
	}
}
