package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Keyboard-only use of a page: moving with Tab, pressing keys on what has
// the focus, and checking that the focus can be seen.

// focused describes the element with the focus, for messages.
const focused = `(e => e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
(e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") +
" " + JSON.stringify((e.textContent || e.value || "").trim().slice(0, 30)) : "nothing")(document.activeElement)`

// TabTo presses Tab, as a person without a mouse does, until the focus is
// on an element matching sel, and fails the test (listing where the focus
// went) when it is not reached within 60 presses.
func TabTo(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	var path []string
	for range 60 {
		if Eval[bool](t, tab, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%s)`, JSString(sel))) {
			return
		}
		Press(t, tab, kb.Tab)
		path = append(path, Eval[string](t, tab, focused))
	}
	t.Fatalf("Tab never reached %s; the focus went to:\n%s", sel, strings.Join(path, "\n"))
}

// Press presses keys (kb.Enter, " " for Space, or text) on what has the focus.
func Press(t *testing.T, tab context.Context, keys string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// FocusRing holds when the element with the focus shows a focus ring of its
// own (an outline at least 2 pixels wide, by :focus-visible), not merely the
// browser's default.
const FocusRing = `(e => !!e && e !== document.body && e.matches(":focus-visible") &&
(s => s.outlineStyle === "solid" && parseFloat(s.outlineWidth) >= 2)(getComputedStyle(e)))(document.activeElement)`

// AssertFocusRing fails the test when the element with the focus has no
// visible focus ring (see FocusRing).
func AssertFocusRing(t *testing.T, tab context.Context) {
	t.Helper()
	if !Eval[bool](t, tab, FocusRing) {
		t.Errorf("the focus on %s shows no ring: outline %q", Eval[string](t, tab, focused),
			Eval[string](t, tab, `(s => s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor)(getComputedStyle(document.activeElement))`))
	}
}
