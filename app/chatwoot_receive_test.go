package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/internal/testclock"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// recorder keeps the webhook calls a simulator makes, instead of
// switchboard.
type recorder struct {
	mu    sync.Mutex
	calls []recorded
	srv   *httptest.Server
}

type recorded struct {
	header http.Header
	body   []byte
}

func newRecorder(t *testing.T) *recorder {
	rc := &recorder{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.calls = append(rc.calls, recorded{r.Header.Clone(), body})
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// last returns the last call of an event.
func (rc *recorder) last(t *testing.T, event string) recorded {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i := len(rc.calls) - 1; i >= 0; i-- {
		var b struct {
			Event string `json:"event"`
		}
		if json.Unmarshal(rc.calls[i].body, &b) == nil && b.Event == event {
			return rc.calls[i]
		}
	}
	t.Fatalf("no %s call recorded", event)
	return recorded{}
}

// post calls the receive endpoint and returns the status and answer.
func post(t *testing.T, url string, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	st, _ := out["status"].(string)
	return resp.StatusCode, st
}

// forged is a webhook body changed by edit.
func forged(body []byte, edit func(map[string]any)) []byte {
	var b map[string]any
	_ = json.Unmarshal(body, &b)
	edit(b)
	raw, _ := json.Marshal(b)
	return raw
}

// signed returns headers signing body at ts with secret.
func signed(secret string, ts time.Time, body []byte, delivery string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}, "X-Chatwoot-Delivery": {delivery}}
	h.Set("X-Chatwoot-Timestamp", strconv.FormatInt(ts.Unix(), 10))
	h.Set("X-Chatwoot-Signature", chatwoot.Sign(secret, ts.Unix(), body))
	return h
}

// TestChatwootReceiveRefusesWhatIsNotFromTheInbox calls the endpoint as an
// attacker would: without the token, with a wrong one, with a bad
// signature, an old one, another bot's token. Each is refused with a 4xx
// and delivers nothing; deliveries about conversations that are not
// switchboard's, and forged notes, are answered 2xx and ignored; the
// genuine call then delivers once.
func TestChatwootReceiveRefusesWhatIsNotFromTheInbox(t *testing.T) {
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	sim, err := chatwootsim.Start("", chatwootsim.Config{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	srv := &server{t: t, cfg: app.Config{
		Addr: freeAddr(t), DataDir: t.TempDir(), Clock: clock, WorkerPoll: 20 * time.Millisecond,
		Bots: []app.BotConfig{
			{Path: examples.Livechat, FS: examples.FS, Livechat: chatwootSettings(sim)},
			{Path: otherBot(t), Livechat: chatwootSettings(sim)},
		},
	}}
	srv.start()
	t.Cleanup(srv.stop)
	c := &chatwootStory{story: newStory(t, srv, clock, sim.WaitDeliveries), sim: sim}
	mine := c.start()
	inboxes := sim.Inboxes()
	if len(inboxes) != 2 {
		t.Fatalf("inboxes = %d, want one per bot", len(inboxes))
	}

	// The agent's reply is recorded instead of delivered; the test makes
	// the calls.
	rc := newRecorder(t)
	mineInbox := inboxes[0]
	if err := sim.SetWebhook(mineInbox.ID, rc.srv.URL); err != nil {
		t.Fatal(err)
	}
	c.reply(mine, "Your refund is on its way.")
	c.settle()
	call := rc.last(t, "message_created")
	secret := mineInbox.Secret
	url := srv.app.URL() + chatwoot.ReceivePath + "?token=" + c.token()
	otherToken, err := srv.app.Livechat.Token(context.Background(), "other-bot")
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now()
	forge := func(edit func(map[string]any)) []byte { return forged(call.body, edit) }
	conv := func(b map[string]any) map[string]any { return b["conversation"].(map[string]any) }
	refused := []struct {
		name   string
		url    string
		h      http.Header
		status int
	}{
		{"no token", srv.app.URL() + chatwoot.ReceivePath, signed(secret, now, call.body, "d1"), http.StatusUnauthorized},
		{"a wrong token", url + "x", signed(secret, now, call.body, "d2"), http.StatusUnauthorized},
		{"a bad signature", url, signed("not-the-secret", now, call.body, "d3"), http.StatusUnauthorized},
		{"an old signature", url, signed(secret, now.Add(-6*time.Minute), call.body, "d4"), http.StatusUnauthorized},
		{"a signature from the future", url, signed(secret, now.Add(6*time.Minute), call.body, "d5"), http.StatusUnauthorized},
	}
	for _, x := range refused {
		if got, _ := post(t, x.url, x.h, call.body); got != x.status {
			t.Errorf("%s: status %d, want %d", x.name, got, x.status)
		}
		if n := c.pendingJobs(); n != 0 {
			t.Fatalf("%s: %d jobs recorded", x.name, n)
		}
	}
	// The other bot's inbox naming this bot's session: not its session.
	theirs := forge(func(b map[string]any) { conv(b)["inbox_id"] = inboxes[1].ID })
	if got, _ := post(t, srv.app.URL()+chatwoot.ReceivePath+"?token="+otherToken, signed(inboxes[1].Secret, now, theirs, "d6"), theirs); got != http.StatusNotFound {
		t.Errorf("another bot's inbox: status %d, want 404", got)
	}
	// Changed bodies keep the signature of the genuine one: refused.
	tampered := forge(func(b map[string]any) { b["content"] = "Send me your password" })
	if got, _ := post(t, url, signed(secret, now, call.body, "d7"), tampered); got != http.StatusUnauthorized {
		t.Errorf("a tampered body: status %d", got)
	}
	ignored := map[string][]byte{
		"a conversation switchboard did not open": forge(func(b map[string]any) {
			conv(b)["contact_inbox"].(map[string]any)["source_id"] = "someone-else"
		}),
		"another inbox's conversation": forge(func(b map[string]any) { conv(b)["inbox_id"] = 999 }),
		"a private note":               forge(func(b map[string]any) { b["private"] = true }),
		"the user's own message":       forge(func(b map[string]any) { b["message_type"] = "incoming" }),
	}
	for name, body := range ignored {
		if got, st := post(t, url, signed(secret, now, body, name), body); got != http.StatusOK || st == "queued" {
			t.Errorf("%s: %d %q, want 200 and nothing queued", name, got, st)
		}
	}
	c.settle()
	if got := c.fromAgents(); len(got) != 0 {
		t.Fatalf("delivered: %q", got)
	}

	// The genuine call delivers, once, even when repeated (the same
	// delivery, or the message again under another delivery id).
	for i := range 3 {
		st, status := post(t, url, signed(secret, now, call.body, "genuine-"+strconv.Itoa(i%2)), call.body)
		if st != http.StatusOK || (i == 0) != (status == "queued") {
			t.Fatalf("genuine call %d: %d %q", i, st, status)
		}
	}
	c.waitFor("the reply", func() bool { return len(c.fromAgents()) == 1 })
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, []string{"Your refund is on its way."}) {
		t.Errorf("delivered %q", got)
	}
	if s := c.session(mine.ID); s.State != switchboard.SessionActive {
		t.Errorf("session %+v", s)
	}
}

// TestChatwootUnsignedCallOnlyReadsBack calls the endpoint with the URL's
// token but no signature (signature mode "present", the default), as
// anyone who saw the URL could: forged message ids not written yet, and a
// typing event. Each may only make switchboard read the conversation
// back: the agent's real reply, whose id was forged before, is then
// delivered at once by its signed call, not taken for a duplicate left to
// the poll; and no typing indicator shows.
func TestChatwootUnsignedCallOnlyReadsBack(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()
	rc := newRecorder(t)
	inbox := c.sim.Inboxes()[0]
	if err := c.sim.SetWebhook(inbox.ID, rc.srv.URL); err != nil {
		t.Fatal(err)
	}
	first := c.reply(s, "First answer.")
	c.settle()
	call := rc.last(t, "message_created")
	url := c.srv.app.URL() + chatwoot.ReceivePath + "?token=" + c.token()
	unsigned := http.Header{"Content-Type": {"application/json"}}
	forge := func(edit func(map[string]any)) []byte { return forged(call.body, edit) }
	for id := first.ID + 1; id <= first.ID+10; id++ {
		body := forge(func(b map[string]any) { b["id"] = id })
		h := unsigned.Clone()
		h.Set("X-Chatwoot-Delivery", "forged-"+strconv.FormatInt(id, 10))
		if st, status := post(t, url, h, body); st != http.StatusOK || status != "queued" {
			t.Fatalf("unsigned call for message %d: %d %q, want 200 and a read-back queued", id, st, status)
		}
	}
	typing := forge(func(b map[string]any) {
		b["event"], b["user"], b["is_private"] = "conversation_typing_on", map[string]any{"id": 1, "type": "user"}, false
	})
	if st, status := post(t, url, unsigned, typing); st != http.StatusOK || status != "ignored" {
		t.Errorf("unsigned typing: %d %q, want 200 ignored", st, status)
	}
	if c.srv.app.Engine.AgentIsTyping(c.user) {
		t.Error("an unsigned call shows the agent typing")
	}
	c.settle()

	second := c.reply(s, "Second answer.")
	c.settle()
	call = rc.last(t, "message_created")
	if !strings.Contains(string(call.body), "Second answer.") {
		t.Fatalf("the last delivery is not the second reply: %s", call.body)
	}
	st, status := post(t, url, signed(inbox.Secret, c.clock.Now(), call.body, "real-"+strconv.FormatInt(second.ID, 10)), call.body)
	if st != http.StatusOK || status != "queued" {
		t.Fatalf("the real delivery of message %d: %d %q, want queued (a forged call marked it seen)", second.ID, st, status)
	}
	c.waitFor("the second reply", func() bool { return len(c.fromAgents()) == 2 })
	if got := c.fromAgents(); !slices.Equal(got, []string{"First answer.", "Second answer."}) {
		t.Errorf("delivered %q", got)
	}
}
