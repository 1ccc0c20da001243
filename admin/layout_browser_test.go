package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"switchboard/internal/browsertest"
)

// TestAdminPagesFitTheScreen opens every section of the administration at a
// laptop's size and at a phone's: the page never scrolls sideways, the menu's
// links are all on the screen, and no card runs off it (a wide table scrolls
// inside its own box).
func TestAdminPagesFitTheScreen(t *testing.T) {
	f := newFixture(t)
	browser := browsertest.Browser(t)
	botID := f.app.Engine.Bots().List()[0].Version.Bot.ID
	// The icon in the tab: the pages link /favicon.svg, and the chat page
	// (which links none) gets /favicon.ico, the browser's default.
	for _, path := range []string{"/favicon.svg", "/favicon.ico"} {
		resp, err := http.Get(f.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("GET %s: %d %s, want the SVG icon", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, size := range screens {
		t.Run(size.name, func(t *testing.T) {
			tab := adminTab(t, f, browser)
			browsertest.Viewport(t, tab, size.width, size.height, size.mobile)
			for _, section := range []string{"dashboard", "bots", "bots/" + botID, "sessions", "agents"} {
				browsertest.Navigate(t, tab, f.base+"/admin/#/"+section)
				waitJS(t, tab, "the "+section+" view", present("#view h1")+" && "+present("#view .card, #view table"))
				waitJS(t, tab, "no sideways scroll on "+section, browsertest.NoSideScroll)
				waitJS(t, tab, "every menu link on the screen on "+section,
					`[...document.querySelectorAll("header nav a, #logout")].every(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth; })`)
				waitJS(t, tab, "every card on the screen on "+section,
					`[...document.querySelectorAll(".card, .kpi, table")].every(e => e.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5)`)
				browsertest.Screenshot(t, tab, fmt.Sprintf("admin-%s-%s", size.name, strings.ReplaceAll(section, "/", "-")))
				browsertest.Axe(t, tab)
			}
		})
	}
}

// screens are the sizes the pages are tried at: a laptop's and a phone's.
var screens = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", browsertest.DesktopWidth, browsertest.DesktopHeight, false},
	{"phone", browsertest.PhoneWidth, browsertest.PhoneHeight, true},
}
