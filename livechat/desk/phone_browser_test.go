package desk_test

import (
	"fmt"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestAnAgentWorksASessionOnAPhone follows the handoff on a 390×844 page,
// one pane at a time (list → conversation → details and back), as an agent
// answering from a phone does: every step is done on the phone-sized page,
// which never scrolls sideways.
func TestAnAgentWorksASessionOnAPhone(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	browsertest.Viewport(t, tab, browsertest.PhoneWidth, browsertest.PhoneHeight, true)
	noSideScroll := func(step string) {
		t.Helper()
		browsertest.WaitJS(t, tab, "no sideways scroll "+step, browsertest.NoSideScroll)
		browsertest.Screenshot(t, tab, "desk-phone-"+step)
		browsertest.Axe(t, tab)
	}
	browsertest.Navigate(t, tab, f.srv.URL+"/desk/")
	browsertest.WaitJS(t, tab, "the sign-in form on the screen", browsertest.InView("#login-submit"))
	noSideScroll("signin")
	signInPage(t, f, tab, emailA, passwordA)

	const user = "phone-user"
	id := f.startSession(user)
	item := fmt.Sprintf(`[data-session-id=%q]`, id)
	browsertest.WaitJS(t, tab, "the session waiting in the list", browsertest.InView("#list-waiting "+item+" button"))
	browsertest.WaitJS(t, tab, "the conversation pane hidden", "!("+browsertest.Visible("#composer")+")")
	noSideScroll("list")

	browsertest.Click(t, tab, "#list-waiting "+item+" button")
	browsertest.WaitJS(t, tab, "the conversation alone on the screen", browsertest.InView("#claim")+" && !("+browsertest.Visible("#lists")+")")
	browsertest.Click(t, tab, "#claim")
	browsertest.WaitJS(t, tab, "the transcript", browsertest.TextHas("#transcript", "Hello! I am the desk test bot.")+" && "+browsertest.Present("#transcript .marker.start"))
	browsertest.WaitJS(t, tab, "the reply box on the screen", browsertest.InView("#composer")+" && "+browsertest.InView("#send")+" && !document.querySelector('#composer').disabled")
	noSideScroll("conversation")

	browsertest.Click(t, tab, "#show-details")
	browsertest.WaitJS(t, tab, "the customer details alone on the screen", browsertest.InView("#customer")+" && "+browsertest.TextHas("#customer", "grace@example.com")+" && !("+browsertest.Visible("#composer")+")")
	noSideScroll("details")
	browsertest.Click(t, tab, "#details-back")

	browsertest.Type(t, tab, "#composer", "Hi Grace, Ada on her phone.")
	browsertest.Click(t, tab, "#send")
	f.waitFor("the reply in the user's history", func() bool {
		return f.findMessage(user, isAgentText(nameA, "Hi Grace, Ada on her phone.")) != nil
	})
	browsertest.WaitJS(t, tab, "the reply in the transcript", browsertest.TextHas("#transcript .msg.agent", "Hi Grace, Ada on her phone."))
	f.send(user, textPayload("Thanks, that is all"))
	browsertest.WaitJS(t, tab, "the customer's message", browsertest.TextHas("#transcript .msg.user", "Thanks, that is all"))
	browsertest.WaitJS(t, tab, "the reply box still on the screen", browsertest.InView("#composer"))
	noSideScroll("replied")

	signOffAndEnd(t, f, tab, user)
	noSideScroll("ended")

	browsertest.Click(t, tab, "#back")
	browsertest.WaitJS(t, tab, "the list again, with the session ended", browsertest.InView("#lists")+" && "+browsertest.Present("#list-ended "+item))
	noSideScroll("back")
}
