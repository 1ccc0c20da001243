package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// JavaScript conditions on a page, for WaitJS.

// Present holds when an element matches sel.
func Present(sel string) string { return fmt.Sprintf("!!document.querySelector(%s)", JSString(sel)) }

// Absent holds when no element matches sel.
func Absent(sel string) string { return fmt.Sprintf("!document.querySelector(%s)", JSString(sel)) }

// Visible holds when the first element matching sel is displayed.
func Visible(sel string) string {
	return fmt.Sprintf("(e => !!e && e.offsetParent !== null)(document.querySelector(%s))", JSString(sel))
}

// TextHas holds when an element matching sel contains text.
func TextHas(sel, text string) string {
	return fmt.Sprintf("[...document.querySelectorAll(%s)].some(e => e.textContent.includes(%s))", JSString(sel), JSString(text))
}

// Count is a JavaScript expression: the number of elements matching sel.
func Count(sel string) string {
	return fmt.Sprintf("document.querySelectorAll(%s).length", JSString(sel))
}

// JSString quotes s as a JavaScript string literal.
func JSString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// WaitJS waits up to 10 seconds until a JavaScript condition holds in the tab,
// and shows the page's text when it does not.
func WaitJS(t *testing.T, tab context.Context, what, cond string) {
	t.Helper()
	WaitJSWithin(t, tab, 10*time.Second, what, cond)
}

// WaitJSWithin is WaitJS with another bound, for what the server makes slow
// on purpose (a sign-in's password hash, slower still under -race).
func WaitJSWithin(t *testing.T, tab context.Context, d time.Duration, what, cond string) {
	t.Helper()
	err := chromedp.Do(tab, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(d)))
	if err != nil {
		text, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, strings.TrimSpace(text))
	}
}

// Click clicks an enabled, visible element as soon as there is one. It finds
// and clicks in one step of the page, so a list redrawn by a live update cannot
// swap the element between the two.
func Click(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	WaitJS(t, tab, "to click "+sel, fmt.Sprintf(
		"(e => { if (!e || e.disabled || e.offsetParent === null) return false; e.click(); return true; })(document.querySelector(%s))",
		JSString(sel)))
}

// Type types text into an enabled field with real key events.
func Type(t *testing.T, tab context.Context, sel, text string) {
	t.Helper()
	WaitJS(t, tab, sel+" to be enabled", Visible(sel)+fmt.Sprintf(" && !document.querySelector(%s).disabled", JSString(sel)))
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatalf("type into %s: %v", sel, err)
	}
}

// Navigate opens url in the tab.
func Navigate(t *testing.T, tab context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// Eval evaluates a JavaScript expression and returns its value.
func Eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Screen sizes the pages are tested at: a laptop and a phone.
const (
	DesktopWidth, DesktopHeight = 1440, 900
	PhoneWidth, PhoneHeight     = 390, 844
)

// Viewport sizes the tab's page as a screen of width×height CSS pixels; a
// mobile one also follows the page's viewport meta tag and has touch, as a
// phone does.
func Viewport(t *testing.T, tab context.Context, width, height int64, mobile bool) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatalf("size the page %dx%d: %v", width, height, err)
	}
}

// NoSideScroll holds when the page is no wider than the screen: nothing
// makes it scroll sideways. The screen is the layout viewport (the root's
// client size): a phone widens window.innerWidth to fit a page too wide.
const NoSideScroll = `document.documentElement.scrollWidth <= document.documentElement.clientWidth`

// InView holds when the first element matching sel is displayed and lies
// wholly inside the screen (see NoSideScroll), without scrolling.
func InView(sel string) string {
	return fmt.Sprintf(`(e => { if (!e || e.offsetParent === null) return false; const r = e.getBoundingClientRect();
const d = document.documentElement;
return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= d.clientWidth && r.bottom <= d.clientHeight; })(document.querySelector(%s))`, JSString(sel))
}

// ScreenshotEnv names a folder where Screenshot saves its pictures; unset,
// Screenshot does nothing.
const ScreenshotEnv = "SWITCHBOARD_SCREENSHOTS"

// Screenshot saves what the tab shows as <ScreenshotEnv>/<name>.png, for a
// person to look at the pages at each size.
func Screenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv(ScreenshotEnv)
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatalf("save screenshot %s: %v", name, err)
	}
}

// ChooseFile chooses a file of name holding data for the file input sel,
// as a user picking it in the browser's dialog does.
func ChooseFile(t *testing.T, tab context.Context, sel string, data []byte, name string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})); err != nil {
		t.Fatalf("choose %s for %s: %v", name, sel, err)
	}
}

// Language makes the tab ask for pages in a language, as a browser set to it
// does: its requests' Accept-Language and navigator.language say it.
func Language(t *testing.T, tab context.Context, lang string) {
	t.Helper()
	v, err := chromedp.CallBrowser(tab, browser.GetVersion, cdp.Empty{})
	if err == nil {
		_, err = chromedp.Call(tab, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: v.UserAgent, AcceptLanguage: lang})
	}
	if err != nil {
		t.Fatalf("set the language %s: %v", lang, err)
	}
}
