package desk_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// deltaView is the answer of GET /desk/api/sessions?ids=….
type deltaView struct {
	listView
	Gone []string `json:"gone"`
}

// byID reads the sessions named, as a page merging changes does.
func (a *agentClient) byID(ids ...string) deltaView {
	a.t.Helper()
	var d deltaView
	a.call("GET", "/desk/api/sessions?ids="+strings.Join(ids, ","), nil, http.StatusOK, &d)
	return d
}

// rawEntries reads the entries of each list of an answer as JSON objects,
// without the seconds counted to the answer's time.
func rawEntries(t *testing.T, a *agentClient, path string) map[string]map[string]any {
	t.Helper()
	var lists map[string]json.RawMessage
	a.call("GET", path, nil, http.StatusOK, &lists)
	out := map[string]map[string]any{}
	for _, kind := range []string{"waiting", "active", "ended"} {
		var items []map[string]any
		if err := json.Unmarshal(lists[kind], &items); err != nil {
			t.Fatalf("%s: %s: %v", path, kind, err)
		}
		for _, it := range items {
			delete(it, "waiting_seconds")
			delete(it, "duration_seconds")
			out[kind+" "+it["id"].(string)] = it
		}
	}
	return out
}

func TestSessionsByIDAreTheListsEntriesAndNameWhatIsGone(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.signIn(emailA, passwordA)
	waiting := f.startSession("delta-waiting")
	active := f.startSession("delta-active")
	a.call("POST", "/desk/api/sessions/"+active+"/claim", nil, http.StatusOK, nil)
	f.send("delta-active", textPayload("my parcel"))
	ended := f.startSession("delta-ended")
	a.call("POST", "/desk/api/sessions/"+ended+"/close", nil, http.StatusOK, nil)
	f.waitFor("the session to end", func() bool { return f.session(ended).State == switchboard.SessionEnded })

	full := rawEntries(t, a, "/desk/api/sessions")
	some := rawEntries(t, a, "/desk/api/sessions?ids="+strings.Join([]string{ended, waiting, active, waiting}, ","))
	if len(full) != 3 || !reflect.DeepEqual(some, full) {
		t.Fatalf("by id:\n%v\nthe whole list:\n%v", some, full)
	}
	if d := a.byID(waiting, "no-such-session"); len(d.Waiting) != 1 || len(d.Active)+len(d.Ended) != 0 || !slices.Equal(d.Gone, []string{"no-such-session"}) {
		t.Errorf("a waiting and an unknown session: %+v", d)
	}

	// A day later (and signed in again) the ended session has left the
	// list: it is gone.
	f.clock.Advance(25 * time.Hour)
	a = f.signIn(emailA, passwordA)
	if d := a.byID(waiting, ended); findIn(d.Waiting, waiting) == nil || !slices.Equal(d.Gone, []string{ended}) {
		t.Errorf("a day after the end: %+v, want %s gone", d, ended)
	}
}

func TestSessionsByIDShowOnlyWhatTheAgentSees(t *testing.T) {
	f := newFixture(t, desk.Config{})
	if _, err := desk.AddAgent(f.ctx, f.store, nil, desk.NewAgent{Email: "cy@example.com", Name: "Cy", Password: "correct horse C", Bots: []string{otherBotID}}); err != nil {
		t.Fatal(err)
	}
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}})
	mine := f.startSessionAs(switchboard.ClientKey{BotID: otherBotID, ChannelID: "web", UserID: "other-user"})
	theirs := f.startSession("deskbot-user")
	f.route("payer", `{"team": "billing"}`)
	billing := f.startSession("payer")
	a, b, cy := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB), f.signIn("cy@example.com", "correct horse C")

	if d := cy.byID(mine, theirs); findIn(d.Waiting, mine) == nil || len(d.Waiting) != 1 || !slices.Equal(d.Gone, []string{theirs}) {
		t.Errorf("Cy (otherbot only): %+v, want %s listed and %s gone", d, mine, theirs)
	}
	if d := a.byID(billing); len(d.Waiting) != 0 || !slices.Equal(d.Gone, []string{billing}) {
		t.Errorf("Ada (no team) asking for billing's session: %+v", d)
	}
	if d := b.byID(billing); findIn(d.Waiting, billing) == nil {
		t.Errorf("Bob (billing): %+v", d)
	}

	// Transferred to billing, Ada's session leaves her sight.
	a.call("POST", "/desk/api/sessions/"+theirs+"/claim", nil, http.StatusOK, nil)
	if d := a.byID(theirs); findIn(d.Active, theirs) == nil {
		t.Fatalf("claimed: %+v", d)
	}
	a.call("POST", "/desk/api/sessions/"+theirs+"/transfer", map[string]any{"team": "billing"}, http.StatusOK, nil)
	if d := a.byID(theirs); len(d.Waiting)+len(d.Active) != 0 || !slices.Equal(d.Gone, []string{theirs}) {
		t.Errorf("transferred away: %+v, want it gone", d)
	}
}

func TestSessionsByIDKeepTheOrderAsked(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}})
	first, second, third := f.startSession("order-1"), f.startSession("order-2"), f.startSession("order-3")
	f.route("order-payer", `{"team": "billing"}`)
	billing := f.startSession("order-payer")
	a := f.signIn(emailA, passwordA)

	d := a.byID(third, "unknown-1", first, billing, "unknown-2", second)
	var got []string
	for _, it := range d.Waiting {
		got = append(got, it.ID)
	}
	if !slices.Equal(got, []string{third, first, second}) || len(d.Active)+len(d.Ended) != 0 {
		t.Errorf("waiting %v (active %v, ended %v), want %v", got, d.Active, d.Ended, []string{third, first, second})
	}
	if want := []string{"unknown-1", billing, "unknown-2"}; !slices.Equal(d.Gone, want) {
		t.Errorf("gone %v, want %v (unknown and out of sight, in the order asked)", d.Gone, want)
	}
}

func TestSessionsByIDRefuseBadIDs(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.signIn(emailA, passwordA)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("s%d", i)
	}
	for _, c := range []struct{ query, says string }{
		{"ids=", "ids is empty"},
		{"ids=a,,b", "id 2 of ids"},
		{"ids=" + strings.Join(many, ","), "101 sessions"},
		{"ids=a%20b", "not a session id"},
		{"ids=" + strings.Repeat("x", 65), "not a session id"},
		{"ids=a&q=grace", "not both"},
	} {
		if e := a.fails("GET", "/desk/api/sessions?"+c.query, nil, http.StatusBadRequest); !strings.Contains(e.Error.Message, c.says) {
			t.Errorf("?%.40s: %q, want it to say %q", c.query, e.Error.Message, c.says)
		}
	}
	f.newClient().fails("GET", "/desk/api/sessions?ids=a", nil, http.StatusUnauthorized)
}

// messagesView is the answer of GET /desk/api/sessions/{id}/messages.
type messagesView struct {
	Session  sessionView           `json:"session"`
	Messages []switchboard.Message `json:"messages"`
	More     bool                  `json:"more"`
}

func TestNewMessagesAreThoseAfterTheLastThePageHas(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.signIn(emailA, passwordA)
	const user = "after-user"
	id := f.startSession(user)
	var d struct {
		Transcript []switchboard.Message `json:"transcript"`
	}
	a.call("GET", "/desk/api/sessions/"+id, nil, http.StatusOK, &d)
	last := d.Transcript[len(d.Transcript)-1].ID

	var n messagesView
	a.call("GET", fmt.Sprintf("/desk/api/sessions/%s/messages?after=%d", id, last), nil, http.StatusOK, &n)
	if len(n.Messages) != 0 || n.Session.ID != id || n.Session.State != "active" || n.More {
		t.Fatalf("nothing new: %+v", n)
	}
	a.call("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "Ada here"}, http.StatusOK, nil)
	f.send(user, textPayload("thanks"))
	a.call("GET", fmt.Sprintf("/desk/api/sessions/%s/messages?after=%d", id, last), nil, http.StatusOK, &n)
	var texts []string
	for _, m := range n.Messages {
		if m.SessionID != id {
			t.Errorf("message %d of another session: %+v", m.ID, m)
		}
		texts = append(texts, contentField(m.Payload, "text"))
	}
	if !slices.Equal(texts, []string{"Ada here", "thanks"}) || n.Session.AgentName != nameA {
		t.Errorf("after a reply and an answer: %q, session %+v", texts, n.Session)
	}

	// Once ended, the customer's end click (stored after the session) is
	// among the new messages, as in the transcript.
	last = n.Messages[len(n.Messages)-1].ID
	f.send(user, buttonPayload(switchboard.PayloadSessionEnd))
	f.waitFor("the session to end", func() bool { return f.session(id).State == switchboard.SessionEnded })
	a.call("GET", fmt.Sprintf("/desk/api/sessions/%s/messages?after=%d", id, last), nil, http.StatusOK, &n)
	if len(n.Messages) == 0 || contentField(n.Messages[len(n.Messages)-1].Payload, "payload") != switchboard.PayloadSessionEnd || n.Session.State != "ended" {
		t.Errorf("after the end: %+v", n)
	}

	for _, after := range []string{"", "x", "-1", "1.5"} {
		if e := a.fails("GET", "/desk/api/sessions/"+id+"/messages?after="+after, nil, http.StatusBadRequest); !strings.Contains(e.Error.Message, "after") {
			t.Errorf("after=%q: %q", after, e.Error.Message)
		}
	}
	a.fails("GET", "/desk/api/sessions/no-such-session/messages?after=0", nil, http.StatusNotFound)
	if _, err := desk.AddAgent(f.ctx, f.store, nil, desk.NewAgent{Email: "cy@example.com", Name: "Cy", Password: "correct horse C", Bots: []string{otherBotID}}); err != nil {
		t.Fatal(err)
	}
	f.signIn("cy@example.com", "correct horse C").fails("GET", "/desk/api/sessions/"+id+"/messages?after=0", nil, http.StatusNotFound)
}
