package desk_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// A flood of parallel wrong passwords gets no more password checks than the
// throttle allows: each attempt is counted before its check.
func TestParallelWrongPasswordsGetAtMostTenChecks(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.newClient()
	const tries = 200
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		status = map[int]int{}
	)
	client := &http.Client{Timeout: 2 * time.Minute} // 200 bcrypt checks take a while on 2 cores
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := -1 // no answer
			res, err := client.Post(a.base+"/desk/api/login", "application/json",
				strings.NewReader(`{"email":"`+emailA+`","password":"wrong guess `+strconv.Itoa(i)+`"}`))
			if err == nil {
				code = res.StatusCode
				res.Body.Close()
			}
			mu.Lock()
			status[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if status[http.StatusUnauthorized] > 10 || status[http.StatusUnauthorized]+status[http.StatusTooManyRequests] != tries {
		t.Fatalf("%d parallel wrong passwords answered %v: want at most 10 checked (401), the rest refused (429)", tries, status)
	}
	a.fails("POST", "/desk/api/login", map[string]string{"email": emailA, "password": passwordA}, http.StatusTooManyRequests)
}

// Right passwords are no failures: signing in often from one address (a
// proxy's) does not lock it.
func TestSuccessfulSignInsDoNotCountAgainstTheAddress(t *testing.T) {
	f := newFixture(t, desk.Config{})
	for range 15 {
		f.signIn(emailA, passwordA)
	}
	f.signIn(emailB, passwordB)
}

// Disabling an agent ends its sign-ins for good: enabling it again does not
// bring them back. Signing out everywhere and a new password end them too.
func TestEndedSignInsStayEnded(t *testing.T) {
	f := newFixture(t, desk.Config{})
	disabled, enabled := true, false
	b := f.signIn(emailB, passwordB)
	if _, err := desk.ChangeAgent(f.ctx, f.store, f.agentB.ID, desk.AgentChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	b.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	if _, err := desk.ChangeAgent(f.ctx, f.store, f.agentB.ID, desk.AgentChange{Disabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	b.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	b = f.signIn(emailB, passwordB)
	b.call("GET", "/desk/api/me", nil, http.StatusOK, nil)

	// Sign out everywhere: both browsers are signed out, a new sign-in works.
	b2 := f.signIn(emailB, passwordB)
	if _, err := desk.EndSignIns(f.ctx, f.store, f.agentB.ID); err != nil {
		t.Fatal(err)
	}
	b.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	b2.fails("GET", "/desk/api/sessions", nil, http.StatusUnauthorized)
	b = f.signIn(emailB, passwordB)

	// A new password: the old one and the old sign-in stop working.
	if _, err := desk.SetPassword(f.ctx, f.store, f.agentB.ID, "short"); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("SetPassword(short) = %v, want EINVALID", err)
	}
	if _, err := desk.SetPassword(f.ctx, f.store, f.agentB.ID, "a brand new secret"); err != nil {
		t.Fatal(err)
	}
	b.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	f.newClient().fails("POST", "/desk/api/login", map[string]string{"email": emailB, "password": passwordB}, http.StatusUnauthorized)
	f.signIn(emailB, "a brand new secret")
	if _, err := desk.EndSignIns(f.ctx, f.store, "no-such-agent"); switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
		t.Errorf("EndSignIns(unknown) = %v, want ENOTFOUND", err)
	}
}

// An agent given some bots sees and acts on their sessions only; one who
// sees all bots (every agent made before scopes) sees both.
func TestAnAgentSeesOnlyTheSessionsOfItsBots(t *testing.T) {
	f := newFixture(t, desk.Config{})
	c, err := desk.AddAgent(f.ctx, f.store, nil, desk.NewAgent{Email: "cy@example.com", Name: "Cy", Password: "correct horse C", Bots: []string{otherBotID}})
	if err != nil || c.AllBots || len(c.Bots) != 1 {
		t.Fatalf("AddAgent with a bot = %+v, %v", c, err)
	}
	if _, err := desk.AddAgent(f.ctx, f.store, nil, desk.NewAgent{Email: "x@example.com", Name: "X", Password: "correct horse X", Bots: []string{"nope"}}); switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("AddAgent with an unknown bot = %v, want EINVALID naming it", err)
	}
	mine := f.startSessionAs(switchboard.ClientKey{BotID: otherBotID, ChannelID: "web", UserID: "other-user"})
	cy := f.signIn("cy@example.com", "correct horse C")
	es := cy.openEvents()
	if ev := es.next(5 * time.Second); ev.name != "ready" {
		t.Fatalf("first event %q, want ready", ev.name)
	}
	theirs := f.startSession("deskbot-user")

	l := cy.list()
	if findIn(l.Waiting, mine) == nil || findIn(l.Waiting, theirs) != nil {
		t.Errorf("Cy's waiting list %+v: want %s (otherbot) and not %s (deskbot)", l.Waiting, mine, theirs)
	}
	for _, p := range []string{"", "/claim", "/reply", "/signoff", "/close"} {
		method, body := "POST", any(map[string]string{"text": "hello"})
		if p == "" {
			method, body = "GET", nil
		}
		if e := cy.fails(method, "/desk/api/sessions/"+theirs+p, body, http.StatusNotFound); !strings.Contains(e.Error.Message, "on your desk") {
			t.Errorf("%s %s of another bot's session: %+v", method, p, e)
		}
	}
	if s := f.session(theirs); s.AgentID != "" || !s.Live() {
		t.Fatalf("refused actions changed the session: %+v", s)
	}
	for ev := es.next(time.Second); ev.name != ""; ev = es.next(time.Second) {
		if strings.Contains(ev.data, theirs) {
			t.Errorf("Cy's event stream named another bot's session: %s %s", ev.name, ev.data)
		}
	}
	cy.call("POST", "/desk/api/sessions/"+mine+"/reply", map[string]string{"text": "Hi from Cy"}, http.StatusOK, nil)

	l = f.signIn(emailA, passwordA).list()
	if findIn(l.Waiting, theirs) == nil || findIn(l.Active, mine) == nil {
		t.Errorf("Ada (all bots) lists waiting %+v, active %+v: want both sessions", l.Waiting, l.Active)
	}
	// Given no bot, an agent sees nothing; given all bots, everything.
	none := []string{}
	if _, err := desk.ChangeAgent(f.ctx, f.store, c.ID, desk.AgentChange{Bots: &none}); err != nil {
		t.Fatal(err)
	}
	if l := cy.list(); len(l.Waiting)+len(l.Active) != 0 {
		t.Errorf("Cy with no bots lists %+v", l)
	}
	all := true
	if _, err := desk.ChangeAgent(f.ctx, f.store, c.ID, desk.AgentChange{AllBots: &all}); err != nil {
		t.Fatal(err)
	}
	if l := cy.list(); findIn(l.Waiting, theirs) == nil {
		t.Errorf("Cy with all bots lists %+v", l)
	}
}

// An ended session's page shows the conversation the session was opened
// with and its own messages, not what the customer said to the bot since.
func TestTheDetailShowsTheSessionNotWhatCameAfter(t *testing.T) {
	f := newFixture(t, desk.Config{})
	// Only the last message before the session goes with it.
	err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
		return tx.PutSetting(f.ctx, livechat.SettingName(testBotID), []byte(`{"transcript_length": 1}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	f.send("after-user", textPayload("an old secret before the bot"))
	id := f.startSession("after-user")
	a := f.signIn(emailA, passwordA)
	a.call("POST", "/desk/api/sessions/"+id+"/reply", map[string]string{"text": "How can I help?"}, http.StatusOK, nil)
	a.call("POST", "/desk/api/sessions/"+id+"/close", nil, http.StatusOK, nil)
	f.send("after-user", textPayload("my card number told to the bot later"))

	var d struct {
		Transcript []switchboard.Message `json:"transcript"`
	}
	a.call("GET", "/desk/api/sessions/"+id, nil, http.StatusOK, &d)
	var texts []string
	for _, m := range d.Transcript {
		texts = append(texts, contentField(m.Payload, "text")+contentField(m.Payload, "payload"))
	}
	got := strings.Join(texts, " | ")
	if !strings.Contains(got, switchboard.PayloadSessionStart) || !strings.Contains(got, "How can I help?") ||
		strings.Contains(got, "card number") || strings.Contains(got, "old secret") {
		t.Errorf("transcript %q: want the last message before the session, the session's messages, nothing after it ended", got)
	}
	if d.Transcript[0].SessionID == id || d.Transcript[1].SessionID != id {
		t.Errorf("transcript %q: want one message of the bot conversation, then the session's", got)
	}
	for _, s := range a.list().Ended {
		if s.ID == id && s.LastMessage != nil && strings.Contains(s.LastMessage.Text, "card number") {
			t.Errorf("the ended session's preview shows what came after it: %+v", s.LastMessage)
		}
	}
}
