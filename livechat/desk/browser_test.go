package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTwoAgentsWorkASessionInTheBrowser follows one handoff through two
// agents' pages, from the user's click to the sign-off.
func TestTwoAgentsWorkASessionInTheBrowser(t *testing.T) {
	f := newFixture(t, desk.Config{})
	browser := browsertest.Browser(t)
	tabA := browsertest.Tab(t, browser, 90*time.Second)
	tabB := browsertest.Tab(t, browser, 90*time.Second)
	browsertest.Viewport(t, tabA, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
	signInPage(t, f, tabA, emailA, passwordA)
	signInPage(t, f, tabB, emailB, passwordB)

	const user = "browser-user"
	id := f.startSession(user)
	item := fmt.Sprintf(`[data-session-id=%q]`, id)
	browsertest.WaitJS(t, tabA, "A to see the session waiting", browsertest.Present("#list-waiting "+item))
	browsertest.WaitJS(t, tabB, "B to see the session waiting", browsertest.Present("#list-waiting "+item))

	browsertest.Click(t, tabA, "#list-waiting "+item+" button")
	browsertest.Click(t, tabA, "#claim")
	browsertest.WaitJS(t, tabB, "B to see the session move to Active", browsertest.Present("#list-active "+item)+" && "+browsertest.Absent("#list-waiting "+item))
	browsertest.WaitJS(t, tabA, "A to see the session as theirs", browsertest.Present("#list-active "+item+" .mine"))

	browsertest.WaitJS(t, tabA, "A to see the bot transcript", browsertest.TextHas("#transcript", "Hello! I am the desk test bot.")+" && "+browsertest.Present("#transcript .marker.start"))
	browsertest.WaitJS(t, tabA, "A to see the customer's metadata", browsertest.TextHas("#customer", "Grace")+" && "+browsertest.TextHas("#customer", "grace@example.com"))
	browsertest.WaitJS(t, tabA, "A to see the customer's name as title", browsertest.TextHas("#conv-title", "Grace Hopper"))
	browsertest.WaitJS(t, tabA, "the three columns side by side on a wide screen, without the phone's buttons",
		browsertest.InView("#lists")+" && "+browsertest.InView("#composer")+" && "+browsertest.InView("#customer")+" && !("+browsertest.Visible("#back")+") && "+browsertest.NoSideScroll)
	browsertest.Screenshot(t, tabA, "desk-desktop")
	browsertest.Axe(t, tabA)

	browsertest.Type(t, tabA, "#composer", "Hi Grace, Ada here.")
	f.waitFor("the user's page to show A typing", func() bool { return f.eng.AgentIsTyping(userKey(user)) })
	browsertest.Click(t, tabA, "#send")
	f.waitFor("A's reply in the user's history", func() bool {
		return f.findMessage(user, isAgentText(nameA, "Hi Grace, Ada here.")) != nil
	})
	if f.eng.AgentIsTyping(userKey(user)) {
		t.Error("the reply did not end the typing indicator")
	}
	browsertest.WaitJS(t, tabA, "A's reply in the transcript", browsertest.TextHas("#transcript .msg.agent", "Hi Grace, Ada here."))

	f.send(user, textPayload("My invoice is wrong"))
	browsertest.WaitJS(t, tabA, "the user's message to appear live", browsertest.TextHas("#transcript", "My invoice is wrong"))

	browsertest.Type(t, tabA, "#saved-title", "Invoices")
	browsertest.Type(t, tabA, "#saved-text", "I am sending you a corrected invoice.")
	browsertest.Click(t, tabA, "#saved-create")
	browsertest.WaitJS(t, tabA, "the saved reply to be listed", browsertest.TextHas("#saved-picker", "Invoices"))
	browsertest.Click(t, tabA, "#saved-picker button")
	browsertest.WaitJS(t, tabA, "the saved reply in the composer", `document.querySelector("#composer").value === "I am sending you a corrected invoice."`)
	browsertest.Click(t, tabA, "#send")
	f.waitFor("the saved reply in the user's history", func() bool {
		return f.findMessage(user, isAgentText(nameA, "I am sending you a corrected invoice.")) != nil
	})

	signOffAndEnd(t, f, tabA, user)
	browsertest.WaitJS(t, tabB, "B to see the session ended", browsertest.Present("#list-ended "+item))
}

func TestAWrongPasswordShowsAnErrorInThePage(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 30*time.Second)
	browsertest.Navigate(t, tab, f.srv.URL+"/desk/")
	browsertest.WaitJS(t, tab, "the sign-in form", browsertest.Visible("#login-email"))
	browsertest.Type(t, tab, "#login-email", emailA)
	browsertest.Type(t, tab, "#login-password", "not my password")
	browsertest.Click(t, tab, "#login-submit")
	browsertest.WaitJS(t, tab, "the error message", browsertest.Visible("#login-error")+" && "+browsertest.TextHas("#login-error", "wrong email or password"))
	browsertest.WaitJS(t, tab, "the desk to stay hidden", `document.querySelector("#app").hidden`)
}

// signOffAndEnd signs off the open conversation in the tab, has the
// customer click the end button, and waits for the page to say so.
func signOffAndEnd(t *testing.T, f *fixture, tab context.Context, user string) {
	t.Helper()
	browsertest.Click(t, tab, "#signoff")
	f.waitFor("the end question in the user's history", func() bool { return f.findMessage(user, isEndQuestion) != nil })
	f.send(user, buttonPayload(switchboard.PayloadSessionEnd))
	browsertest.WaitJS(t, tab, "the page to say why the session ended", browsertest.TextHas("#banner", "The customer ended the conversation")+" && "+browsertest.Present("#composer:disabled"))
}

// signInPage opens the desk in a tab and signs in through the form.
func signInPage(t *testing.T, f *fixture, tab context.Context, email, password string) {
	t.Helper()
	browsertest.Navigate(t, tab, f.srv.URL+"/desk/")
	browsertest.WaitJS(t, tab, "the sign-in form", browsertest.Visible("#login-email"))
	browsertest.Type(t, tab, "#login-email", email)
	browsertest.Type(t, tab, "#login-password", password)
	browsertest.Click(t, tab, "#login-submit")
	browsertest.WaitJSWithin(t, tab, time.Minute, "the desk after sign-in", browsertest.Visible("#app")+` && document.querySelector("#conn").textContent === "live"`)
}
