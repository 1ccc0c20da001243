package desk_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestScreenshotsOfTheDesk takes the desk's pictures of docs/screenshots
// (see docs/testing.md): a busy desk with a conversation open at a laptop's
// width, and the list and the conversation at a phone's.
func TestScreenshotsOfTheDesk(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.signIn(emailA, passwordA)
	b := f.signIn(emailB, passwordB)
	f.startSession("waiting-one")
	f.send("waiting-one", textPayload("Can I change my delivery address?"))
	theirs := f.startSession("theirs")
	b.call("POST", "/desk/api/sessions/"+theirs+"/claim", nil, http.StatusOK, nil)
	mine := f.startSession("mine")
	a.call("POST", "/desk/api/sessions/"+mine+"/claim", nil, http.StatusOK, nil)
	f.send("mine", textPayload("My parcel has not arrived, order 1042."))
	a.call("POST", "/desk/api/sessions/"+mine+"/reply", map[string]string{"text": "Hello Grace, I am looking at order 1042 now."}, http.StatusOK, nil)
	f.send("mine", textPayload("Thank you!"))
	item := fmt.Sprintf(`#list-active [data-session-id=%q] button`, mine)

	t.Run("desk-1440", func(t *testing.T) {
		tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
		browsertest.Viewport(t, tab, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
		signInPage(t, f, tab, emailA, passwordA)
		browsertest.Click(t, tab, item)
		browsertest.WaitJS(t, tab, "the conversation open", browsertest.TextHas("#transcript", "Thank you!")+" && "+browsertest.TextHas("#customer", "grace@example.com"))
		browsertest.Screenshot(t, tab, "desk-1440")
		browsertest.Axe(t, tab)
	})
	t.Run("desk-390", func(t *testing.T) {
		tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
		browsertest.Viewport(t, tab, browsertest.PhoneWidth, browsertest.PhoneHeight, true)
		signInPage(t, f, tab, emailA, passwordA)
		browsertest.WaitJS(t, tab, "the list", browsertest.Present(item))
		browsertest.Screenshot(t, tab, "desk-list-390")
		browsertest.Axe(t, tab)
		browsertest.Click(t, tab, item)
		browsertest.WaitJS(t, tab, "the conversation", browsertest.TextHas("#transcript", "Thank you!")+" && "+browsertest.InView("#composer"))
		browsertest.Screenshot(t, tab, "desk-conversation-390")
		browsertest.Axe(t, tab)
	})
}
