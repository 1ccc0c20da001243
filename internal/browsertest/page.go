package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

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
	err := chromedp.Do(tab, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
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
