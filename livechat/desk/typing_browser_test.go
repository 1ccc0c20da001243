package desk_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTheDeskShowsTheCustomerTyping opens a conversation at both sizes: when
// the chat page says the customer types, the conversation says so under the
// transcript, and the customer's message takes its place.
func TestTheDeskShowsTheCustomerTyping(t *testing.T) {
	for _, size := range browsertest.Sizes {
		t.Run(size.Name, func(t *testing.T) {
			f := newFixture(t, desk.Config{})
			tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
			size.Apply(t, tab)
			user := "typing-" + size.Name
			id := f.startSession(user)
			a := f.signIn(emailA, passwordA)
			a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)
			signInPage(t, f, tab, emailA, passwordA)
			browsertest.Click(t, tab, fmt.Sprintf(`#list-active [data-session-id=%q] button`, id))
			browsertest.WaitJS(t, tab, "the conversation open", browsertest.Visible("#transcript"))

			if err := f.eng.CustomerTyping(f.ctx, userKey(user), true); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, tab, "the customer typing shown", browsertest.Visible("#customer-typing")+" && "+
				browsertest.TextHas("#customer-typing", "Grace Hopper is typing…"))
			browsertest.Axe(t, tab)
			f.send(user, textPayload("found it, thanks"))
			browsertest.WaitJS(t, tab, "the message in place of the indicator", browsertest.TextHas("#transcript", "found it, thanks")+
				" && document.querySelector('#customer-typing').hidden")
		})
	}
}
