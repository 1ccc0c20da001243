package webapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard"
	"switchboard/engine"
	"switchboard/webapp"
)

// start sends the first visit's flow trigger and returns what it produced.
func start(t *testing.T, c *wsClient) []switchboard.Message {
	t.Helper()
	c.event("start-1", "flow_trigger", map[string]string{"flow_id": "main"})
	return messagesOf(t, c.until("ack", "start-1"))
}

func ids(msgs []switchboard.Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

func TestFirstConnectionGetsStateThenRunsTheBot(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, before := f.dial(t, user, token, 0)
	if len(before) != 1 || before[0].Type != "state" || before[0].Livechat != nil {
		t.Fatalf("a new visitor gets only the state before ready, got %+v", before)
	}
	got := start(t, c)
	// The user's own event comes first, then the bot's turn, all before the ack.
	if len(got) != 3 || got[0].Direction != switchboard.DirectionReceive || got[0].RequestID != "start-1" {
		t.Fatalf("want the flow trigger and two bot messages, got %+v", got)
	}
	if !strings.Contains(textOf(got[1]), "**test bot**") || got[2].Payload.ContentType != "question" {
		t.Fatalf("want the welcome and the question, got %s and %s", got[1].Payload.Content, got[2].Payload.ContentType)
	}
	if !slices.IsSorted(ids(got)) {
		t.Fatalf("messages out of order: %v", ids(got))
	}
	if want := texts(c.text("e-1", "bonjour")); !slices.Equal(want, []string{"You said: bonjour"}) {
		t.Fatalf("echo: got %q", want)
	}
}

func TestRepeatedEventIDRunsTheBotOnce(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	c.event("same", "text", map[string]string{"text": "once"})
	first := messagesOf(t, c.until("ack", "same"))
	if len(texts(first)) != 1 {
		t.Fatalf("want one answer, got %+v", first)
	}
	c.event("same", "text", map[string]string{"text": "once"})
	before, ack := c.await("ack", "same")
	if again := messagesOf(t, before); len(again) != 0 || !ack.Duplicate {
		t.Fatalf("a repeated id delivered %d new messages; its ack: %+v", len(again), ack)
	}
	n := 0
	for _, m := range f.history(t, user) {
		if m.RequestID == "same" {
			n++
		}
	}
	if n != 2 { // the user's message and the bot's echo, once each
		t.Fatalf("want 2 stored messages for the request, got %d", n)
	}
}

func TestReconnectGetsExactlyTheMissedMessages(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	seen := start(t, c)
	last := seen[len(seen)-1].ID
	_ = c.ws.Close(websocket.StatusNormalClosure, "")

	// While the page is away, events arrive by another way (as an agent's
	// reply or an expiry turn would).
	for _, text := range []string{"first", "second"} {
		_, err := f.engine.HandleEvent(context.Background(), engine.Request{Client: clientKey(user), Payload: switchboard.Payload{
			ContentType: "text", Content: json.RawMessage(`{"text":"` + text + `"}`)}})
		if err != nil {
			t.Fatalf("handle %q: %v", text, err)
		}
	}
	var missed []switchboard.Message
	for _, m := range f.history(t, user) {
		if m.ID > last {
			missed = append(missed, m)
		}
	}
	c2, before := f.dial(t, user, token, last)
	got := messagesOf(t, before)
	if !slices.Equal(ids(got), ids(missed)) || len(got) != 4 {
		t.Fatalf("after %d: got ids %v, want exactly %v", last, ids(got), ids(missed))
	}
	if !slices.Equal(texts(got), []string{"You said: first", "You said: second"}) {
		t.Fatalf("missed texts: %q", texts(got))
	}
	// Live messages follow without a gap.
	live := c2.text("after-reconnect", "third")
	if live[0].ID <= got[len(got)-1].ID || !slices.Equal(texts(live), []string{"You said: third"}) {
		t.Fatalf("live after reconnect: %+v", live)
	}
	// A reload (after=0) gets the whole history, once.
	_, all := f.dial(t, user, token, 0)
	if !slices.Equal(ids(messagesOf(t, all)), ids(f.history(t, user))) {
		t.Fatalf("a reload should get the whole history in order")
	}
}

func TestEventResentAfterALostAckRunsOnce(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	// The page sends, and the connection dies before the ack.
	c.event("lost-ack", "text", map[string]string{"text": "are you there"})
	_ = c.ws.CloseNow()
	c2, _ := f.dial(t, user, token, 0)
	c2.event("lost-ack", "text", map[string]string{"text": "are you there"})
	c2.until("ack", "lost-ack")
	var echoes int
	for _, m := range f.history(t, user) {
		if textOf(m) == "You said: are you there" {
			echoes++
		}
	}
	if echoes != 1 {
		t.Fatalf("the bot answered %d times", echoes)
	}
}

func TestMetadataReachesTheBot(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	c.send(map[string]any{"type": "metadata", "id": "m-1", "metadata": map[string]string{"firstname": "Ada", "plan": "gold"}})
	c.until("ack", "m-1")
	if got := texts(c.text("e-hello", "hello")); !slices.Equal(got, []string{"Hello Ada!"}) {
		t.Fatalf("greeting: %q", got)
	}
}

func TestRefusedBeforeTheUpgrade(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	otherUser, _ := f.visitor(t)
	for name, tc := range map[string]struct {
		url    string
		status int
	}{
		"forged token":         {f.wsURL(channelID, user, "AAAA"+token[4:], 0), http.StatusUnauthorized},
		"another user's token": {f.wsURL(channelID, otherUser, token, 0), http.StatusUnauthorized},
		"missing token":        {f.wsURL(channelID, user, "", 0), http.StatusUnauthorized},
		"unknown channel":      {f.wsURL("nope", user, token, 0), http.StatusNotFound},
		"api channel":          {f.wsURL(apiChan, user, token, 0), http.StatusNotFound},
		"bad after":            {strings.Replace(f.wsURL(channelID, user, token, 0), "after=0", "after=-3", 1), http.StatusBadRequest},
	} {
		t.Run(name, func(t *testing.T) {
			_, resp, err := dialURL(t, tc.url)
			if err == nil || resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("want HTTP %d, got %v (%v)", tc.status, resp, err)
			}
		})
	}
}

func TestBadFramesGetErrorsAndChangeNothing(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	stored := len(f.history(t, user))
	for _, tc := range []struct{ frame, id, says string }{
		{`{"type":"event",`, "", "malformed JSON"},
		{`[1,2]`, "", "must be"},
		{`{"type":"shout","id":"x1"}`, "x1", `unknown frame type "shout"`},
		{`{"id":"x2"}`, "x2", `"type" is missing`},
		{`{"type":"event","payload":{"content_type":"text","content":{"text":"hi"}}}`, "", `needs an "id"`},
		{`{"type":"event","id":"x3"}`, "x3", `needs a "payload"`},
		{`{"type":"event","id":"x4","payload":{"content":{"text":"hi"}}}`, "x4", "content_type"},
		{`{"type":"event","id":"x5","payload":{"content_type":"text","content":{"txt":"hi"}}}`, "x5", "content.text"},
		{`{"type":"event","id":"x6","payload":{"content_type":"sticker","content":{"url":"u"}}}`, "x6", "not supported"},
		{`{"type":"event","id":"x7","extra":1,"payload":{"content_type":"text","content":{"text":"hi"}}}`, "x7", "unknown field"},
		{`{"type":"metadata","id":"x8","metadata":"Ada"}`, "x8", "JSON object"},
		{`{"type":"event","id":"x9","payload":{"content_type":"payload","content":{"payload":"LIVECHAT_SESSION_EXPIRED","reason":"expired"}}}`, "x9", "switchboard only"},
		{`{"type":"ping"} {"type":"ping"}`, "", "one object per frame"},
		{`{"type":"typing","id":"x11"}`, "x11", `"typing" is missing`},
		{`{"type":"event","id":"x10","payload":{"content_type":"text","content":{"text":"` + strings.Repeat("é", 4001) + `"}}}`,
			"x10", "4001 characters long: the limit is 4000"},
	} {
		c.sendRaw(tc.frame)
		got := c.next()
		if got.Type != "error" || got.Code != "invalid" || got.ID != tc.id || !strings.Contains(got.text(), tc.says) {
			t.Errorf("%s: want an invalid error for id %q saying %q, got %+v %q", tc.frame, tc.id, tc.says, got, got.text())
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageBinary, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	if got := c.next(); got.Type != "error" || !strings.Contains(got.text(), "text frames") {
		t.Errorf("binary frame: got %+v", got)
	}
	if n := len(f.history(t, user)); n != stored {
		t.Fatalf("bad frames stored %d messages", n-stored)
	}
	// The connection still works.
	c.send(map[string]string{"type": "ping"})
	if got := c.next(); got.Type != "pong" {
		t.Fatalf("want pong, got %+v", got)
	}
	if got := texts(c.text("good", "still here")); !slices.Equal(got, []string{"You said: still here"}) {
		t.Fatalf("after bad frames: %q", got)
	}
}

func TestOversizedFrameClosesWith1009(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	big := `{"type":"event","id":"big","payload":{"content_type":"text","content":{"text":"` + strings.Repeat("x", 70<<10) + `"}}}`
	c.sendRaw(big)
	_, err := c.read()
	if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("want close 1009, got %v", err)
	}
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Reason == "" {
		t.Fatalf("the close should give a reason: %v", err)
	}
	if n := len(f.history(t, user)); n != 0 {
		t.Fatalf("an oversized frame stored %d messages", n)
	}
}

func TestFloodIsRateLimited(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	for range 40 {
		c.send(map[string]string{"type": "ping"})
	}
	limited := 0
	for range 40 {
		if got := c.next(); got.Type == "error" && got.Code == "rate_limited" {
			limited++
		}
	}
	if limited == 0 || limited > 20 {
		t.Fatalf("want some of 40 pings limited, got %d", limited)
	}
}

// startLivechat connects a new visitor who asks for a human, and returns once
// the desk opened the session and the queue placed it (first, alone): the
// connection, the "active" state frame, the session.
func startLivechat(t *testing.T, f *fixture) (*wsClient, frame, *switchboard.Session) {
	t.Helper()
	f.runOutbox(t)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	c.event("human", "payload", map[string]string{"payload": switchboard.PayloadSessionStart, "title": "Talk to a human"})
	var state frame
	for state = c.next(); state.Type != "state" || state.Livechat == nil || state.Livechat.State != "active" || state.Livechat.QueuePosition != 1; state = c.next() {
		if state.Type == "error" {
			t.Fatalf("start livechat: %s", state.text())
		}
	}
	return c, state, f.liveSession(t, user)
}

func TestLivechatStateAndAgentMessages(t *testing.T) {
	f := newFixture(t, nil)
	c, state, s := startLivechat(t, f)
	if state.Livechat.Claimed || state.Livechat.AgentName != "" {
		t.Fatalf("nobody took the session yet, the page should show it waiting: %+v", state.Livechat)
	}
	// A platform says the agent is typing: the state says so, and nothing
	// is stored.
	if err := f.engine.AgentTyping(context.Background(), s.ID, true); err != nil {
		t.Fatal(err)
	}
	fr := c.next()
	for fr.Type == "ack" || fr.Type == "message" { // of the start event
		fr = c.next()
	}
	if fr.Type != "state" || fr.Livechat == nil || !fr.Livechat.AgentTyping {
		t.Fatalf("want the state with the agent typing, got %+v", fr)
	}
	if err := f.engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alice", Text: "Hi, I am **Alice**"}); err != nil {
		t.Fatalf("agent reply: %v", err)
	}
	var agentMsg switchboard.Message
	for {
		fr := c.next()
		if fr.Type == "message" {
			agentMsg = fr.msg(t)
			break
		}
	}
	if agentMsg.Sender.Kind != switchboard.SenderAgent || agentMsg.Sender.Name != "Alice" || agentMsg.SessionID != s.ID {
		t.Fatalf("agent message: %+v", agentMsg)
	}
	if fr := c.next(); fr.Type != "state" || fr.Livechat == nil || fr.Livechat.AgentName != "Alice" || !fr.Livechat.Claimed || fr.Livechat.AgentTyping {
		t.Fatalf("want the state with the agent's name, no longer typing, got %+v", fr)
	}
}

// TestDeskClaimTellsThePage checks the state a page gets when an agent claims
// the session on the desk, before any agent message: claimed, with the name.
func TestDeskClaimTellsThePage(t *testing.T) {
	f := newFixture(t, nil)
	c, _, s := startLivechat(t, f)
	if err := f.engine.Claim(context.Background(), s.ID, "agent-1", "Zoé"); err != nil {
		t.Fatalf("claim: %v", err)
	}
	fr := c.next()
	for fr.Type == "ack" || fr.Type == "message" { // of the start event
		fr = c.next()
	}
	if fr.Type != "state" || fr.Livechat == nil || !fr.Livechat.Claimed || fr.Livechat.AgentName != "Zoé" {
		t.Fatalf("want the claimed state with the agent's name, got %+v", fr)
	}
}

func TestCloseTellsPagesToReconnect(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	done := make(chan struct{})
	go func() {
		_ = f.handler.Close()
		close(done)
	}()
	_, err := c.read()
	if websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("want 1001 going away, got %v", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

func TestServerShutdownTellsPagesToReconnect(t *testing.T) {
	f := newFixture(t, nil)
	// An app ends live connections by cancelling the handler's base context
	// (the one its server's BaseContext returns too).
	base, stop := context.WithCancel(context.Background())
	h := webapp.New(webapp.Config{Store: f.store, Engine: f.engine, Subscriber: f.hub, Secret: []byte("test secret"), Base: base})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.BaseContext = func(net.Listener) context.Context { return base }
	srv.Start()
	defer srv.Close()
	user, token := f.visitor(t)
	u := strings.Replace(f.wsURL(channelID, user, token, 0), strings.TrimPrefix(f.server.URL, "http://"), strings.TrimPrefix(srv.URL, "http://"), 1)
	c, _, err := dialURL(t, u)
	if err != nil {
		t.Fatal(err)
	}
	c.until("ready", "")
	stop()
	if _, err := c.read(); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("want 1001 going away, got %v", err)
	}
	done := make(chan struct{})
	go func() { _ = h.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: a connection is still running")
	}
}

// TestAnonymousAgentReplyClaims checks that a platform's reply that names no
// agent still ends the waiting: the state is claimed, without a name.
func TestAnonymousAgentReplyClaims(t *testing.T) {
	f := newFixture(t, nil)
	c, _, s := startLivechat(t, f)
	if err := f.engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, Text: "Hello"}); err != nil {
		t.Fatalf("agent reply: %v", err)
	}
	fr := c.next()
	for fr.Type == "ack" || fr.Type == "message" {
		fr = c.next()
	}
	if fr.Type != "state" || fr.Livechat == nil || !fr.Livechat.Claimed || fr.Livechat.AgentName != "" {
		t.Fatalf("want the claimed state without a name, got %+v", fr)
	}
}
