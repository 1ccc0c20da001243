package desk_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// recordReads makes the page note the URL of every request it makes
// (window.reads).
const recordReads = `window.reads = [];
if (!window.realFetch) window.realFetch = window.fetch;
window.fetch = (url, opts) => { window.reads.push(String(url)); return window.realFetch(url, opts); };
true`

// shownIDs is the ids the page lists, waiting, active and ended, as JSON.
const shownIDs = `JSON.stringify(["waiting", "active", "ended"].map(k =>
  [...document.querySelectorAll("#list-" + k + " li[data-session-id]")].map(li => li.dataset.sessionId)))`

// serverIDs is what the page must list: the server's whole list, as JSON.
func serverIDs(a *agentClient) string {
	l := a.list()
	out := [3][]string{{}, {}, {}}
	for i, items := range [][]sessionView{l.Waiting, l.Active, l.Ended} {
		for _, s := range items {
			out[i] = append(out[i], s.ID)
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// TestTheDeskMergesChangedSessionsIntoItsList follows an agent's page as
// sessions change: a customer's message updates that row's preview, a new
// customer appears among the waiting, a closed session moves to the ended
// ones and one transferred to a team the agent is not in leaves the page,
// each time the page listing what the server's whole list holds, in its
// order, having read only the changed sessions. The open conversation reads
// only its new messages.
func TestTheDeskMergesChangedSessionsIntoItsList(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}})
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	browsertest.Viewport(t, tab, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
	a := f.signIn(emailA, passwordA)
	ids := map[string]string{}
	for _, user := range []string{"merge-oldest", "merge-closed", "merge-moved", "merge-newest"} {
		ids[user] = f.startSession(user)
		a.call("POST", "/desk/api/sessions/"+ids[user]+"/claim", nil, http.StatusOK, nil)
	}
	signInPage(t, f, tab, emailA, passwordA)
	// sameAsServer waits for the page to list what the server does.
	sameAsServer := func(what string) {
		t.Helper()
		want := serverIDs(a)
		deadline := time.Now().Add(10 * time.Second)
		for browsertest.Eval[string](t, tab, shownIDs) != want && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := browsertest.Eval[string](t, tab, shownIDs); got != want {
			t.Fatalf("%s, the page lists\n%s\nthe server\n%s", what, got, want)
		}
	}
	sameAsServer("the four sessions")
	browsertest.Eval[bool](t, tab, recordReads)
	row := func(user string) string { return fmt.Sprintf(`[data-session-id=%q]`, ids[user]) }

	f.send("merge-oldest", textPayload("where is my parcel?"))
	browsertest.WaitJS(t, tab, "the row's new preview", browsertest.TextHas("#lists "+row("merge-oldest")+" .preview", "where is my parcel?"))
	sameAsServer("after a customer's message")

	ids["merge-waiting"] = f.startSession("merge-waiting")
	browsertest.WaitJS(t, tab, "the new customer waiting", browsertest.Present("#list-waiting "+row("merge-waiting")))
	sameAsServer("with a new customer")

	a.call("POST", "/desk/api/sessions/"+ids["merge-closed"]+"/close", nil, http.StatusOK, nil)
	browsertest.WaitJS(t, tab, "the closed session among the ended", browsertest.Present("#list-ended "+row("merge-closed"))+" && "+browsertest.Absent("#list-active "+row("merge-closed")))
	sameAsServer("after a close")

	a.call("POST", "/desk/api/sessions/"+ids["merge-moved"]+"/transfer", map[string]any{"team": "billing"}, http.StatusOK, nil)
	browsertest.WaitJS(t, tab, "the session transferred away gone", browsertest.Absent("#lists "+row("merge-moved")))
	sameAsServer("after a transfer to another team")

	reads := browsertest.Eval[[]string](t, tab, "window.reads")
	var byID int
	for _, u := range reads {
		if u == "/desk/api/sessions" {
			t.Errorf("the page read the whole list: %q", reads)
		}
		if strings.HasPrefix(u, "/desk/api/sessions?ids=") {
			byID++
		}
	}
	if byID < 4 {
		t.Errorf("%d reads by id for four changes: %q", byID, reads)
	}

	// The open conversation reads what is new, not the whole detail.
	browsertest.Click(t, tab, "#lists "+row("merge-newest")+" button")
	browsertest.WaitJS(t, tab, "the conversation open", browsertest.Visible("#conversation")+" && "+browsertest.TextHas("#conv-sub", "you are handling it"))
	browsertest.Eval[bool](t, tab, recordReads)
	f.send("merge-newest", textPayload("are you there?"))
	browsertest.WaitJS(t, tab, "the customer's new message", browsertest.TextHas("#transcript", "are you there?"))
	for _, u := range browsertest.Eval[[]string](t, tab, "window.reads") {
		if u == "/desk/api/sessions/"+ids["merge-newest"] {
			t.Errorf("the page read the whole conversation for a new message")
		}
	}
	if n := browsertest.Eval[int](t, tab, `window.reads.filter(u => u.includes("/messages?after=")).length`); n == 0 {
		t.Errorf("no read of the new messages: %q", browsertest.Eval[[]string](t, tab, "window.reads"))
	}
}
