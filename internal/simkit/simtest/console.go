package simtest

import (
	"context"
	"testing"
	"time"

	"switchboard/internal/browsertest"
)

// Console opens a simulator's console page (simkit.Console) in a browser
// tab for the length of a test, once it shows the credential want in the
// element of id credential.
func Console(t *testing.T, url, credential, want string) context.Context {
	t.Helper()
	tab := browsertest.Tab(t, browsertest.Browser(t), time.Minute)
	browsertest.Navigate(t, tab, url+"/")
	browsertest.WaitJS(t, tab, "the credentials", browsertest.TextHas("#"+credential, want))
	return tab
}

// OpenThread waits for the first thread of the console's list, opens it,
// and waits for its message of class sel to show text.
func OpenThread(t *testing.T, tab context.Context, sel, text string) {
	t.Helper()
	browsertest.WaitJS(t, tab, "a thread", browsertest.Present(".threads li:not(.muted)"))
	browsertest.Click(t, tab, ".threads li")
	browsertest.WaitJS(t, tab, "the user's message", browsertest.TextHas(sel, text))
}

// Act is one action of the agent on a console: the text typed first (none:
// nothing typed), the button of the action's kind pressed (its data-act),
// then the element Sel showing Want (the text typed when Want is empty).
type Act struct {
	Kind, Text, Sel, Want string
}

// Acts does the actions in order on a console's open thread.
func Acts(t *testing.T, tab context.Context, acts ...Act) {
	t.Helper()
	for _, a := range acts {
		if a.Text != "" {
			browsertest.Type(t, tab, "#text", a.Text)
		}
		browsertest.Click(t, tab, `[data-act="`+a.Kind+`"]`)
		want := a.Want
		if want == "" {
			want = a.Text
		}
		browsertest.WaitJS(t, tab, a.Kind, browsertest.TextHas(a.Sel, want))
	}
}
