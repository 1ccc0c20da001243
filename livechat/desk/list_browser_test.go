package desk_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTheDeskListFiltersAndSearchOnAPhone narrows the list on a 390×844 page
// as an agent does: Waiting, Mine, Ended and All; a search by a message the
// customer wrote before their last one and by e-mail; then opens a
// customer's other conversation from the details pane, the page never
// scrolling sideways.
func TestTheDeskListFiltersAndSearchOnAPhone(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	browsertest.Viewport(t, tab, browsertest.PhoneWidth, browsertest.PhoneHeight, true)
	a := f.signIn(emailA, passwordA)
	const user = "filter-user"
	old := f.startSession(user)
	a.call("POST", "/desk/api/sessions/"+old+"/close", nil, http.StatusOK, nil)
	f.waitFor("the old session to end", func() bool { return f.session(old).State == switchboard.SessionEnded })
	mine := f.startSession(user)
	a.call("POST", "/desk/api/sessions/"+mine+"/claim", nil, http.StatusOK, nil)
	f.send(user, textPayload("my parcel never came"))
	f.send(user, textPayload("any news?"))
	waiting := f.startSession("filter-waiting")
	b := f.signIn(emailB, passwordB)
	theirs := f.startSession("filter-theirs")
	b.call("POST", "/desk/api/sessions/"+theirs+"/claim", nil, http.StatusOK, nil)

	signInPage(t, f, tab, emailA, passwordA)
	item := func(id string) string { return fmt.Sprintf(`#lists [data-session-id=%q]`, id) }
	shown := func(ids ...string) string {
		cond := fmt.Sprintf(`[...document.querySelectorAll("#lists li[data-session-id]")].filter(li => li.offsetParent !== null).length === %d`, len(ids))
		for _, id := range ids {
			cond += " && " + browsertest.Visible(item(id))
		}
		return cond
	}
	browsertest.WaitJS(t, tab, "all four sessions", shown(old, mine, waiting, theirs))
	browsertest.WaitJS(t, tab, "the start click in words", browsertest.TextHas(item(waiting)+" .preview", "asked to talk to a person"))
	browsertest.WaitJS(t, tab, "the filters on the screen", browsertest.InView(`.filters [data-filter="ended"]`)+" && "+browsertest.NoSideScroll)
	browsertest.Screenshot(t, tab, "desk-phone-filters")
	browsertest.Axe(t, tab)

	filter := func(name string, ids ...string) {
		t.Helper()
		browsertest.Click(t, tab, fmt.Sprintf(`.filters [data-filter=%q]`, name))
		browsertest.WaitJS(t, tab, "the "+name+" filter", shown(ids...))
	}
	filter("waiting", waiting)
	filter("mine", mine)
	filter("ended", old)
	filter("all", old, mine, waiting, theirs)

	browsertest.Type(t, tab, "#search", "PARCEL")
	browsertest.WaitJS(t, tab, "the search by an earlier message, on the server", shown(mine))
	browsertest.Eval[bool](t, tab, `(s => { s.value = ""; s.dispatchEvent(new Event("input")); return true; })(document.querySelector("#search"))`)
	browsertest.Type(t, tab, "#search", "nobody@nowhere")
	browsertest.WaitJS(t, tab, "no match said", browsertest.TextHas("#list-waiting", "Nothing matches your search."))
	browsertest.Eval[bool](t, tab, `(s => { s.value = ""; s.dispatchEvent(new Event("input")); return true; })(document.querySelector("#search"))`)
	browsertest.Type(t, tab, "#search", "grace@example")
	browsertest.WaitJS(t, tab, "the search by e-mail", shown(old, mine, waiting, theirs))
	browsertest.WaitJS(t, tab, "no sideways scroll with the search", browsertest.NoSideScroll)

	browsertest.Click(t, tab, item(mine)+" button")
	browsertest.Click(t, tab, "#show-details")
	browsertest.WaitJS(t, tab, "the other conversation in the details", browsertest.InView(fmt.Sprintf(`#earlier [data-earlier-id=%q] button`, old)))
	browsertest.Screenshot(t, tab, "desk-phone-other-sessions")
	browsertest.Axe(t, tab)
	browsertest.WaitJS(t, tab, "no sideways scroll in the details", browsertest.NoSideScroll)
	browsertest.Click(t, tab, fmt.Sprintf(`#earlier [data-earlier-id=%q] button`, old))
	browsertest.WaitJS(t, tab, "the old conversation open", fmt.Sprintf("location.hash === %s", browsertest.JSString("#/s/"+old))+
		" && "+browsertest.TextHas("#conv-sub", "ended")+" && "+browsertest.InView("#transcript"))
}
