package desk_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"switchboard/internal/eventually"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/hub"
	"switchboard/livechat"
	"switchboard/livechat/desk"
	"switchboard/outbox"
	"switchboard/store/sqlite"
)

// testBotID is the bot every test talks to; its CSML offers the handoff button,
// holds, and greets the user back when the session ends. otherBotID runs the
// same flows, for tests of agents limited to some bots.
const (
	testBotID  = "deskbot"
	otherBotID = "otherbot"
)

var testBot = switchboard.Bot{
	ID: testBotID, Name: "Desk test bot", DefaultFlow: "Default",
	Flows: []switchboard.Flow{{ID: "Default", Name: "Default", Commands: []string{"/start"}, Content: `
start:
  say "Hello! I am the desk test bot."
  goto menu

menu:
  say Question("Do you want to talk to a person?", buttons=[Button("Talk to a human", payload="LIVECHAT_SESSION_START")])
  hold
  if (event == "LIVECHAT_SESSION_END") {
    say "Welcome back to the bot."
    goto menu
  }
  if (event == "LIVECHAT_SESSION_EXPIRED") {
    say "The agent conversation timed out."
    goto menu
  }
  say "Please click the button."
  goto menu
`}},
}

// Credentials of the two agents every fixture has.
const (
	emailA, nameA, passwordA = "ada@example.com", "Ada Agent", "correct horse A"
	emailB, nameB, passwordB = "bob@example.com", "Bob Agent", "correct horse B"
)

// customerMeta is what the test user's channel knows of them.
var customerMeta = json.RawMessage(`{"firstname":"Grace","lastname":"Hopper","email":"grace@example.com","plan":"gold"}`)

// offsetClock is the real clock plus an offset that tests move forward.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// fixture is a running switchboard as in production: a SQLite store, the
// engine with the desk as livechat platform, the outbox worker, and the desk
// handler on a real HTTP server.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	store *sqlite.DB
	hub   *hub.Hub
	eng   *engine.Engine
	clock *offsetClock // the desk handler's clock
	srv   *httptest.Server
	// agentA and agentB are the agents' records.
	agentA, agentB *switchboard.Agent
}

func newFixture(t *testing.T, cfg desk.Config) *fixture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "desk.db"), sqlite.Options{Synchronous: "OFF"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := hub.New()
	bots := engine.NewBots()
	other := testBot
	other.ID, other.Name = otherBotID, "Other desk bot"
	for _, b := range []switchboard.Bot{testBot, other} {
		v := switchboard.NewBotVersion(b, time.Now())
		if _, err := bots.Put(v); err != nil {
			t.Fatalf("load test bot: %v", err)
		}
		if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutBotVersion(ctx, &v) }); err != nil {
			t.Fatalf("store test bot: %v", err)
		}
	}
	eng := engine.New(db, h, bots, engine.Config{Providers: map[string]livechat.Provider{livechat.PlatformDesk: desk.NewProvider()}})
	log := slog.New(slog.DiscardHandler)
	w := outbox.New(db, h, switchboard.SystemClock{}, eng.JobHandlers(), outbox.Config{Poll: 20 * time.Millisecond}, log)
	w.Start(ctx)
	t.Cleanup(func() { _ = w.Stop(context.Background()) })

	f := &fixture{t: t, ctx: ctx, store: db, hub: h, eng: eng, clock: &offsetClock{}}
	cfg.Store, cfg.Engine, cfg.Subscriber, cfg.Clock, cfg.Log = db, eng, h, f.clock, log
	f.srv = httptest.NewServer(desk.NewHandler(cfg))
	t.Cleanup(func() {
		f.srv.CloseClientConnections() // event streams end with their connection
		f.srv.Close()
	})
	if f.agentA, err = desk.CreateAgent(ctx, db, nil, emailA, nameA, passwordA); err != nil {
		t.Fatal(err)
	}
	if f.agentB, err = desk.CreateAgent(ctx, db, nil, emailB, nameB, passwordB); err != nil {
		t.Fatal(err)
	}
	return f
}

// userKey is the client key of a test user.
func userKey(user string) switchboard.ClientKey {
	return switchboard.ClientKey{BotID: testBotID, ChannelID: "web", UserID: user}
}

func textPayload(s string) switchboard.Payload {
	c, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: c}
}

func buttonPayload(p string) switchboard.Payload {
	c, _ := json.Marshal(map[string]string{"payload": p})
	return switchboard.Payload{ContentType: "payload", Content: c}
}

// send is an event of the user, as a channel would hand it to the engine.
func (f *fixture) send(user string, p switchboard.Payload) *engine.Reply {
	f.t.Helper()
	return f.sendAs(userKey(user), p)
}

// sendAs is an event of a client of any bot.
func (f *fixture) sendAs(key switchboard.ClientKey, p switchboard.Payload) *engine.Reply {
	f.t.Helper()
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: key, Payload: p, Metadata: customerMeta})
	if err != nil {
		f.t.Fatalf("user %s sends %s: %v", key.UserID, p.Content, err)
	}
	return r
}

// startSession has the user greet the bot and click "Talk to a human", then
// waits until the desk confirmed the session; it returns the session id.
func (f *fixture) startSession(user string) string {
	f.t.Helper()
	return f.startSessionAs(userKey(user))
}

// startSessionAs is startSession for a client of any bot.
func (f *fixture) startSessionAs(key switchboard.ClientKey) string {
	f.t.Helper()
	f.sendAs(key, textPayload("hi"))
	r := f.sendAs(key, buttonPayload(switchboard.PayloadSessionStart))
	if r.Session == nil {
		f.t.Fatalf("clicking %s started no session", switchboard.PayloadSessionStart)
	}
	id := r.Session.ID
	f.waitFor("the session to become active", func() bool {
		s := f.session(id)
		return s.State == switchboard.SessionActive
	})
	return id
}

// session reads a session from the store.
func (f *fixture) session(id string) *switchboard.Session {
	f.t.Helper()
	var s *switchboard.Session
	err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.Session(f.ctx, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// history is the user's whole message history, oldest first.
func (f *fixture) history(user string) []switchboard.Message {
	f.t.Helper()
	var ms []switchboard.Message
	err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		ms, err = tx.MessagesAfter(f.ctx, userKey(user), 0, 1000)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

// findMessage returns the first message of the user's history that matches.
func (f *fixture) findMessage(user string, match func(m switchboard.Message) bool) *switchboard.Message {
	for _, m := range f.history(user) {
		if match(m) {
			return &m
		}
	}
	return nil
}

// isAgentText matches an agent message to the user with this text.
func isAgentText(name, text string) func(m switchboard.Message) bool {
	return func(m switchboard.Message) bool {
		return m.Direction == switchboard.DirectionSend && m.Sender.Kind == switchboard.SenderAgent &&
			m.Sender.Name == name && contentField(m.Payload, "text") == text
	}
}

// isEndQuestion matches the question whose button ends the session.
func isEndQuestion(m switchboard.Message) bool {
	if m.Direction != switchboard.DirectionSend || m.Payload.ContentType != "question" {
		return false
	}
	var q struct {
		Buttons []struct {
			Content struct {
				Payload string `json:"payload"`
			} `json:"content"`
		} `json:"buttons"`
	}
	_ = json.Unmarshal(m.Payload.Content, &q)
	return len(q.Buttons) == 1 && q.Buttons[0].Content.Payload == switchboard.PayloadSessionEnd
}

func contentField(p switchboard.Payload, key string) string {
	var c map[string]any
	_ = json.Unmarshal(p.Content, &c)
	s, _ := c[key].(string)
	return s
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	eventually.True(f.t, 10*time.Second, what, cond)
}

// agentClient is one agent's browser as far as HTTP goes: a cookie jar and
// the CSRF token of its sign-in.
type agentClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

// newClient is a browser of its own. Its timeout leaves room for bcrypt
// under the race detector on a loaded machine (sign-ins).
func (f *fixture) newClient() *agentClient {
	jar, _ := cookiejar.New(nil)
	return &agentClient{t: f.t, base: f.srv.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// signIn signs an agent in and fails the test if that does not work.
func (f *fixture) signIn(email, password string) *agentClient {
	f.t.Helper()
	a := f.newClient()
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	a.call("POST", "/desk/api/login", map[string]string{"email": email, "password": password}, http.StatusOK, &out)
	if out.CSRFToken == "" {
		f.t.Fatal("sign-in returned no csrf_token")
	}
	a.csrf = out.CSRFToken
	return a
}

// request sends a raw request with the agent's cookie; JSON bodies get their
// Content-Type and, unless headers say otherwise, the CSRF token.
func (a *agentClient) request(method, path string, body io.Reader, headers map[string]string) (*http.Response, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.csrf != "" {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := a.c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return res, data
}

// call sends a JSON request, checks the status and decodes the answer into out.
func (a *agentClient) call(method, path string, in any, want int, out any) *http.Response {
	a.t.Helper()
	var body io.Reader
	if in != nil {
		data, _ := json.Marshal(in)
		body = bytes.NewReader(data)
	}
	res, data := a.request(method, path, body, nil)
	if res.StatusCode != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return res
}

// apiError is the JSON of an error answer.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// fails sends a request that must fail with status and returns its error.
func (a *agentClient) fails(method, path string, in any, status int) apiError {
	a.t.Helper()
	var e apiError
	a.call(method, path, in, status, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		a.t.Fatalf("%s %s: error body without code or message", method, path)
	}
	return e
}

// sessionView is the part of a listed session the tests read.
type sessionView struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	BotName  string `json:"bot_name"`
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customer"`
	AgentID         string `json:"agent_id"`
	AgentName       string `json:"agent_name"`
	WaitingSeconds  *int64 `json:"waiting_seconds"`
	DurationSeconds *int64 `json:"duration_seconds"`
	LastMessage     *struct {
		Text string `json:"text"`
	} `json:"last_message"`
	EndReason     string `json:"end_reason"`
	EndReasonText string `json:"end_reason_text"`
}

type listView struct {
	Waiting []sessionView `json:"waiting"`
	Active  []sessionView `json:"active"`
	Ended   []sessionView `json:"ended"`
}

func (a *agentClient) list() listView {
	a.t.Helper()
	var l listView
	a.call("GET", "/desk/api/sessions", nil, http.StatusOK, &l)
	return l
}

func findIn(items []sessionView, id string) *sessionView {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

// eventStream is an open GET /desk/api/events.
type eventStream struct {
	events chan sseEvent
	close  func()
}

// sseEvent is an event of the stream: its name and data.
type sseEvent struct{ name, data string }

// openEvents opens the agent's event stream and reads its events.
func (a *agentClient) openEvents() *eventStream {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", a.base+"/desk/api/events", nil)
	res, err := (&http.Client{Jar: a.c.Jar}).Do(req)
	if err != nil {
		cancel()
		a.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		a.t.Fatalf("events: status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	es := &eventStream{events: make(chan sseEvent, 1024), close: func() { cancel(); res.Body.Close() }}
	a.t.Cleanup(es.close)
	go func() {
		defer close(es.events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			if name, ok := strings.CutPrefix(line, "event: "); ok {
				ev.name = name
			} else if data, ok := strings.CutPrefix(line, "data: "); ok {
				ev.data = data
			} else if line == "" && ev.name != "" {
				es.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	return es
}

// next returns the next event, or none (a zero event) after the timeout.
func (es *eventStream) next(timeout time.Duration) sseEvent {
	select {
	case ev := <-es.events:
		return ev
	case <-time.After(timeout):
		return sseEvent{}
	}
}
