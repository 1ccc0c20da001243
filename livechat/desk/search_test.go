package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/desk"
)

// TestSearchFindsAnySessionByItsText checks the desk's search: the text of
// any message of a session finds it, an ended one however long ago, and
// nothing else.
func TestSearchFindsAnySessionByItsText(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.signIn(emailA, passwordA)
	old := f.startSession("old-customer")
	f.send("old-customer", textPayload("my parcel 77 never came"))
	a.call("POST", "/desk/api/sessions/"+old+"/close", nil, http.StatusOK, nil)
	f.waitFor("the session to end", func() bool { return f.session(old).State == switchboard.SessionEnded })
	f.clock.Advance(72 * time.Hour)
	a = f.signIn(emailA, passwordA) // the sign-in lapsed
	waiting := f.startSession("new-customer")
	f.send("new-customer", textPayload("Where is PARCEL 78?"))
	other := f.startSession("other-customer")
	f.send("other-customer", textPayload("100% happy"))

	search := func(q string) listView {
		t.Helper()
		var l listView
		a.call("GET", "/desk/api/sessions?q="+url.QueryEscape(q), nil, http.StatusOK, &l)
		return l
	}
	if findIn(a.list().Ended, old) != nil {
		t.Fatalf("the session ended three days ago is in the list without a search: want only the last day's")
	}
	l := search("parcel")
	if len(l.Waiting) != 1 || l.Waiting[0].ID != waiting || len(l.Ended) != 1 || l.Ended[0].ID != old || len(l.Active) != 0 {
		t.Errorf(`search "parcel": waiting %v, active %v, ended %v; want %s waiting and %s ended`, ids(l.Waiting), ids(l.Active), ids(l.Ended), waiting, old)
	}
	if l := search("Grace"); len(l.Waiting) != 2 || len(l.Ended) != 1 {
		t.Errorf(`search "Grace" (the customers' name): waiting %v, ended %v; want all three sessions`, ids(l.Waiting), ids(l.Ended))
	}
	if l := search("0% "); len(l.Waiting) != 1 || l.Waiting[0].ID != other {
		t.Errorf(`search "0%% ": waiting %v, want only %s: %% is a percent sign, not a wildcard`, ids(l.Waiting), other)
	}
	if l := search("_"); len(l.Waiting)+len(l.Active)+len(l.Ended) != 0 {
		t.Errorf(`search "_": found %v %v %v, want nothing`, ids(l.Waiting), ids(l.Active), ids(l.Ended))
	}
	e := a.fails("GET", "/desk/api/sessions?q="+strings.Repeat("x", 201), nil, http.StatusBadRequest)
	if !strings.Contains(e.Error.Message, "at most 200") {
		t.Errorf("a too long search says %q", e.Error.Message)
	}
}

func ids(items []sessionView) []string {
	out := []string{}
	for _, s := range items {
		out = append(out, s.ID)
	}
	return out
}
