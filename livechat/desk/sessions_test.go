package desk_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/desk"
)

func TestAStartedSessionWaitsWithItsWaitTime(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("waiting-user")
	a := f.signIn(emailA, passwordA)
	f.clock.Advance(90 * time.Second)

	l := a.list()
	s := findIn(l.Waiting, id)
	if s == nil {
		t.Fatalf("session %s is not waiting: %+v", id, l)
	}
	if s.WaitingSeconds == nil || *s.WaitingSeconds < 90 || *s.WaitingSeconds > 120 {
		t.Errorf("waiting_seconds = %v, want about 90", s.WaitingSeconds)
	}
	if s.BotName != testBot.Name || s.Customer.Name != "Grace Hopper" || s.Customer.Email != "grace@example.com" {
		t.Errorf("listed as %+v", s)
	}
	if s.LastMessage == nil || s.LastMessage.Text == "" {
		t.Errorf("no last message preview: %+v", s)
	}
	if len(l.Active) != 0 || len(l.Ended) != 0 {
		t.Errorf("active %v, ended %v: want none", l.Active, l.Ended)
	}
}

func TestTheDetailHasTheTranscriptAndCurrentMetadata(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("detail-user")
	a := f.signIn(emailA, passwordA)
	var d struct {
		Session    sessionView           `json:"session"`
		Metadata   map[string]any        `json:"metadata"`
		Transcript []switchboard.Message `json:"transcript"`
	}
	a.call("GET", "/desk/api/sessions/"+id, nil, http.StatusOK, &d)
	if d.Session.ID != id || d.Metadata["firstname"] != "Grace" || d.Metadata["plan"] != "gold" {
		t.Errorf("detail %+v", d)
	}
	var sawBot, sawHi, sawStart bool
	for _, m := range d.Transcript {
		sawBot = sawBot || m.Sender.Kind == switchboard.SenderBot && m.SessionID == ""
		sawHi = sawHi || contentField(m.Payload, "text") == "hi"
		sawStart = sawStart || m.SessionID == id && contentField(m.Payload, "payload") == switchboard.PayloadSessionStart
	}
	if !sawBot || !sawHi || !sawStart {
		t.Errorf("transcript lacks the bot conversation (%v), the user's hi (%v) or the start click (%v)", sawBot, sawHi, sawStart)
	}
	a.fails("GET", "/desk/api/sessions/no-such-session", nil, http.StatusNotFound)
}

func TestOneAgentClaimsASessionAndTheOtherCannot(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("claimed-user")
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)

	var out struct{ Session sessionView }
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, &out)
	if out.Session.AgentName != nameA {
		t.Errorf("claimed by %q, want %q", out.Session.AgentName, nameA)
	}
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil) // claiming again is fine
	if e := b.fails("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusConflict); !strings.Contains(e.Error.Message, nameA) {
		t.Errorf("conflict says %q: want the name of the agent who has it", e.Error.Message)
	}
	b.fails("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "me too"}, http.StatusConflict)
	l := b.list()
	if s := findIn(l.Active, id); s == nil || s.AgentName != nameA || s.DurationSeconds == nil {
		t.Errorf("B's list: %+v, want the session active with %s", l, nameA)
	}
	if f.findMessage("claimed-user", isAgentText(nameB, "me too")) != nil {
		t.Error("B's refused reply reached the user")
	}
}

func TestARepliesAndTheUserGetsItWithAsName(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("reply-user")
	a := f.signIn(emailA, passwordA)

	// Replying to a waiting session claims it.
	a.call("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "  Hello Grace, Ada here.  "}, http.StatusOK, nil)
	if m := f.findMessage("reply-user", isAgentText(nameA, "Hello Grace, Ada here.")); m == nil || m.SessionID != id {
		t.Fatalf("the user's history lacks A's reply: %+v", f.history("reply-user"))
	}
	if s := f.session(id); s.AgentID != f.agentA.ID || s.FirstReplyAt == nil {
		t.Errorf("session after the reply: agent %q, first reply %v", s.AgentID, s.FirstReplyAt)
	}
	// The user's answer goes to the desk, not the bot.
	f.send("reply-user", textPayload("Thanks Ada"))
	var d struct {
		Transcript []switchboard.Message `json:"transcript"`
	}
	a.call("GET", "/desk/api/sessions/"+id, nil, http.StatusOK, &d)
	last := d.Transcript[len(d.Transcript)-1]
	if contentField(last.Payload, "text") != "Thanks Ada" || last.SessionID != id {
		t.Errorf("last transcript message %+v, want the user's answer in the session", last)
	}
}

func TestSignOffAsksTheUserToEndAndThenRepliesAreGone(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("signoff-user")
	a := f.signIn(emailA, passwordA)
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)

	a.call("POST", "/desk/api/sessions/"+id+"/signoff", map[string]string{}, http.StatusOK, nil)
	if f.findMessage("signoff-user", isAgentText(nameA, "Thanks for contacting us!")) == nil {
		t.Error("a sign-off without text did not say the default words")
	}
	if f.findMessage("signoff-user", isEndQuestion) == nil {
		t.Fatalf("no end question in the user's history: %+v", f.history("signoff-user"))
	}
	if s := f.session(id); !s.Live() {
		t.Fatal("the session ended before the user clicked the end button")
	}
	a.call("POST", "/desk/api/sessions/"+id+"/signoff", map[string]string{"text": "Bye Grace!"}, http.StatusOK, nil)
	if f.findMessage("signoff-user", isAgentText(nameA, "Bye Grace!")) == nil {
		t.Error("the sign-off text did not reach the user")
	}

	r := f.send("signoff-user", buttonPayload(switchboard.PayloadSessionEnd))
	if len(r.Messages) == 0 || contentField(r.Messages[0].Payload, "text") != "Welcome back to the bot." {
		t.Errorf("the bot did not take the user back: %+v", r.Messages)
	}
	e := a.fails("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "still there?"}, http.StatusGone)
	if !strings.Contains(e.Error.Message, "ended") || !strings.Contains(e.Error.Message, "not delivered") {
		t.Errorf("410 says %q: want that it ended and the message was not delivered", e.Error.Message)
	}
	if f.findMessage("signoff-user", isAgentText(nameA, "still there?")) != nil {
		t.Error("a reply after the end reached the user")
	}
	l := a.list()
	if s := findIn(l.Ended, id); s == nil || s.EndReason != string(switchboard.EndUser) || s.EndReasonText == "" {
		t.Errorf("ended list %+v: want the session with reason user_ended", l.Ended)
	}
}

func TestCloseEndsTheSessionAndHandsTheUserBack(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("close-user")
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)
	b.fails("POST", "/desk/api/sessions/"+id+"/close", nil, http.StatusConflict)
	a.call("POST", "/desk/api/sessions/"+id+"/close", nil, http.StatusOK, nil)
	if s := f.session(id); s.Live() || s.EndReason != switchboard.EndAgent {
		t.Fatalf("session after close: %s %s", s.State, s.EndReason)
	}
	if f.findMessage("close-user", func(m switchboard.Message) bool { return contentField(m.Payload, "text") == "Welcome back to the bot." }) == nil {
		t.Error("the bot did not take the user back after the close")
	}
	a.fails("POST", "/desk/api/sessions/"+id+"/close", nil, http.StatusGone)
}

func TestBadBodiesAreRefusedClearly(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("bodies-user")
	a := f.signIn(emailA, passwordA)
	reply := "/desk/api/sessions/" + id + "/reply"
	for _, c := range []struct {
		name, body string
		status     int
		says       string
	}{
		{"oversized", `{"text":"` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge, "larger than"},
		{"malformed", `{"text": "hi"`, http.StatusBadRequest, "malformed JSON"},
		{"wrong type", `{"text": 3}`, http.StatusBadRequest, `"text"`},
		{"unknown field", `{"txt": "hi"}`, http.StatusBadRequest, "unknown field"},
		{"empty text", `{"text": "   "}`, http.StatusBadRequest, "empty"},
		{"too long", `{"text":"` + strings.Repeat("é", 4001) + `"}`, http.StatusBadRequest, "4000"},
	} {
		res, body := a.request("POST", reply, strings.NewReader(c.body), nil)
		var e apiError
		_ = json.Unmarshal(body, &e)
		if res.StatusCode != c.status || !strings.Contains(e.Error.Message, c.says) {
			t.Errorf("%s: %d %s, want %d saying %q", c.name, res.StatusCode, body, c.status, c.says)
		}
	}
	if s := f.session(id); s.AgentID != "" || s.FirstReplyAt != nil {
		t.Error("a refused reply changed the session")
	}
	a.fails("GET", "/desk/api/nothing-here", nil, http.StatusNotFound)
}

func TestSavedRepliesAreSharedAndDeletable(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)
	var created switchboard.SavedReply
	a.call("POST", "/desk/api/saved-replies", map[string]string{"title": "Hours", "text": "We are open 9 to 6."}, http.StatusCreated, &created)
	a.fails("POST", "/desk/api/saved-replies", map[string]string{"title": "", "text": "x"}, http.StatusBadRequest)
	var list struct {
		SavedReplies []switchboard.SavedReply `json:"saved_replies"`
	}
	b.call("GET", "/desk/api/saved-replies", nil, http.StatusOK, &list)
	if len(list.SavedReplies) != 1 || list.SavedReplies[0].Text != "We are open 9 to 6." {
		t.Fatalf("B sees %+v", list.SavedReplies)
	}
	b.call("DELETE", "/desk/api/saved-replies/"+created.ID, nil, http.StatusNoContent, nil)
	a.fails("DELETE", "/desk/api/saved-replies/"+created.ID, nil, http.StatusNotFound)
}

func TestTheEventStreamWakesOnAUserMessage(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("events-user")
	a := f.signIn(emailA, passwordA)
	es := a.openEvents()
	if ev := es.next(5 * time.Second); ev.name != "ready" {
		t.Fatalf("first event %q, want ready", ev.name)
	}
	f.send("events-user", textPayload("anyone there?"))
	// The session is named at once, and the list changed.
	if ev := es.next(5 * time.Second); ev.name != "sessions" || ev.data != `{"ids":["`+id+`"]}` {
		t.Fatalf("after a user message: event %+v, want sessions naming %s", ev, id)
	}
	if ev := es.next(5 * time.Second); ev.name != "changed" {
		t.Fatalf("then event %q, want changed", ev.name)
	}
	f.newClient().fails("GET", "/desk/api/events", nil, http.StatusUnauthorized)
}

func TestTheLongestWaitingComesFirstAndEachShowsItsOwnLastMessage(t *testing.T) {
	f := newFixture(t, desk.Config{})
	users := []string{"first-waiting", "second-waiting", "third-waiting"}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = f.startSession(u)
	}
	claimedID := f.startSession("claimed")
	for _, u := range append(users, "claimed") {
		f.send(u, textPayload("this is "+u))
	}
	// A session of another platform is not the desk's to list.
	err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
		now := time.Now().Add(-time.Hour)
		return tx.CreateSession(f.ctx, &switchboard.Session{
			ID: "elsewhere", Client: userKey("elsewhere"), Platform: "gorgias", State: switchboard.SessionPending,
			Timeout: time.Hour, CreatedAt: now, LastActivityAt: now,
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	a := f.signIn(emailA, passwordA)
	a.call("POST", "/desk/api/sessions/"+claimedID+"/claim", nil, http.StatusOK, nil)

	l := a.list()
	var got []string
	for _, s := range l.Waiting {
		got = append(got, s.ID)
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Fatalf("waiting %v, want %v: the longest waiting first, and only the desk's", got, ids)
	}
	if len(l.Active) != 1 || l.Active[0].ID != claimedID {
		t.Fatalf("active %+v, want only %s", l.Active, claimedID)
	}
	userOf := map[string]string{claimedID: "claimed"}
	for i, id := range ids {
		userOf[id] = users[i]
	}
	for _, s := range append(l.Waiting, l.Active...) {
		if s.LastMessage == nil || s.LastMessage.Text != "this is "+userOf[s.ID] {
			t.Errorf("session %s of %s shows last message %+v, want its own", s.ID, userOf[s.ID], s.LastMessage)
		}
	}
}

// TestThePreviewIsTheCustomersLastMessage checks that the list shows what the
// customer last wrote, as docs/desk.md says, not the agent's reply or
// switchboard's "connecting" line that came after it.
func TestThePreviewIsTheCustomersLastMessage(t *testing.T) {
	f := newFixture(t, desk.Config{})
	const user = "preview-user"
	id := f.startSession(user)
	a := f.signIn(emailA, passwordA)
	if s := findIn(a.list().Waiting, id); s == nil || s.LastMessage == nil || s.LastMessage.Text != switchboard.PayloadSessionStart {
		t.Errorf("waiting session: want the customer's click as preview, got %+v", s)
	}
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)
	f.send(user, textPayload("my order 42 is late"))
	a.call("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "Let me check."}, http.StatusOK, nil)
	s := findIn(a.list().Active, id)
	if s == nil || s.LastMessage == nil || s.LastMessage.Text != "my order 42 is late" {
		t.Errorf("active session after the agent's reply: want the customer's message as preview, got %+v", s)
	}
	a.call("POST", "/desk/api/sessions/"+id+"/close", nil, http.StatusOK, nil)
	f.waitFor("the session to end", func() bool { return f.session(id).State == switchboard.SessionEnded })
	f.send(user, textPayload("and another thing"))
	s = findIn(a.list().Ended, id)
	if s == nil || s.LastMessage == nil || s.LastMessage.Text != "my order 42 is late" {
		t.Errorf("ended session: want the customer's last message in it, got %+v", s)
	}
}

// TestASessionListsTheCustomersEarlierSessions checks that a session's page
// names the customer's other sessions, newest first, and no one else's.
func TestASessionListsTheCustomersEarlierSessions(t *testing.T) {
	f := newFixture(t, desk.Config{})
	const user = "returning-user"
	a := f.signIn(emailA, passwordA)
	first := f.startSession(user)
	a.call("POST", "/desk/api/sessions/"+first+"/reply", map[string]string{"text": "Hello again"}, http.StatusOK, nil)
	a.call("POST", "/desk/api/sessions/"+first+"/close", nil, http.StatusOK, nil)
	f.waitFor("the first session to end", func() bool { return f.session(first).State == switchboard.SessionEnded })
	f.startSession("someone-else")
	second := f.startSession(user)

	var d struct {
		Earlier []sessionView `json:"other_sessions"`
	}
	a.call("GET", "/desk/api/sessions/"+second, nil, http.StatusOK, &d)
	if len(d.Earlier) != 1 || d.Earlier[0].ID != first || d.Earlier[0].State != string(switchboard.SessionEnded) {
		t.Errorf("earlier sessions of the second session: %+v, want only the first, ended", d.Earlier)
	}
	a.call("GET", "/desk/api/sessions/"+first, nil, http.StatusOK, &d)
	if len(d.Earlier) != 1 || d.Earlier[0].ID != second {
		t.Errorf("other sessions of the first session: %+v, want the second", d.Earlier)
	}
}
