package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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
	"switchboard/engine"
)

// receiver is an app's callback endpoint: it checks every signature, keeps
// the messages it processed in order, drops a delivery it already
// processed, and fails the attempts a test asks it to.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret []byte
	mu     sync.Mutex
	// fail says how the nth attempt (from 1) at the kth delivery (from 1)
	// fails: "500", "slow" (processed, but answered after the sender gave
	// up), or "".
	fail      func(k, n int) string
	attempts  map[string]int
	order     []string // delivery ids, by first attempt
	processed []string // "id:text", in the order processed
	bodies    [][]byte // every body received, in order
}

func newReceiver(t *testing.T, secret []byte, fail func(k, n int) string) *receiver {
	r := &receiver{t: t, secret: secret, fail: fail, attempts: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	id, ts, sig := req.Header.Get("X-Switchboard-Delivery"), req.Header.Get("X-Switchboard-Timestamp"), req.Header.Get("X-Switchboard-Signature")
	m := hmac.New(sha256.New, r.secret)
	m.Write([]byte(ts + "." + string(body)))
	sent, _ := strconv.ParseInt(ts, 10, 64)
	if sig != "sha256="+hex.EncodeToString(m.Sum(nil)) || time.Since(time.Unix(sent, 0)).Abs() > 5*time.Minute {
		r.t.Errorf("delivery %s: bad signature %q for timestamp %s", id, sig, ts)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var cb struct {
		DeliveryID string `json:"delivery_id"`
		Client     struct {
			UserID string `json:"user_id"`
		} `json:"client"`
		Messages []struct {
			ID      int64               `json:"id"`
			Payload switchboard.Payload `json:"payload"`
			Sender  switchboard.Sender  `json:"sender"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &cb); err != nil || len(cb.Messages) != 1 || cb.DeliveryID != id || strconv.FormatInt(cb.Messages[0].ID, 10) != id {
		r.t.Errorf("delivery %s: body %s", id, body)
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.attempts[id]++
	if r.attempts[id] == 1 {
		r.order = append(r.order, id)
	}
	how := r.fail(slices.Index(r.order, id)+1, r.attempts[id])
	if how != "500" && !slices.ContainsFunc(r.processed, func(p string) bool { return strings.HasPrefix(p, id+":") }) {
		r.processed = append(r.processed, id+":"+textOf(cb.Messages[0].Payload))
	}
	r.mu.Unlock()
	switch how {
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
	case "slow":
		<-req.Context().Done() // answer only once the sender gave up (its CallbackTimeout)
	}
}

// texts returns the texts processed, in order.
func (r *receiver) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []string{}
	for _, p := range r.processed {
		out = append(out, p[strings.Index(p, ":")+1:])
	}
	return out
}

func (r *receiver) attemptsOf() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.attempts {
		out[k] = v
	}
	return out
}

func never(int, int) string { return "" }

func TestLivechatThroughTheChatAPI(t *testing.T) {
	f := newFixture(t)
	rc := newReceiver(t, f.secret, never)
	cb := map[string]any{"callback_url": rc.srv.URL + "/hook?token=t0ken"}
	f.chat(f.public(), event("lc", "text", map[string]any{"text": "hi"}, nil))

	// The user asks for a human: the bot stays silent, the answer says so.
	r := f.chat(f.signed(time.Now()), event("lc", "payload", map[string]any{"payload": "LIVECHAT_SESSION_START"}, cb))
	if len(r.Messages) != 0 || r.Livechat == nil || r.Livechat.State != "pending" {
		t.Fatalf("start: %+v", r)
	}
	sessionID := r.Livechat.SessionID
	waitFor(t, "the connecting message", func() bool { return slices.Contains(rc.texts(), "Connecting you to an agent…") })

	// During the session, messages go to the agent.
	r = f.chat(f.public(), event("lc", "text", map[string]any{"text": "my order is late"}, nil))
	if len(r.Messages) != 0 || r.Livechat == nil || r.Livechat.SessionID != sessionID {
		t.Fatalf("during the session: %+v", r)
	}
	// A flow trigger would take the user away from the agent: 409.
	if code, msg := f.errorOf("POST", "/v1/api/chat", f.public(), event("lc", "flow_trigger", map[string]any{"flow_id": "News"}, nil), http.StatusConflict); code != "conflict" || !strings.Contains(msg, "livechat session") {
		t.Errorf("flow_trigger during a session: %s %q", code, msg)
	}
	if code, _ := f.errorOf("POST", "/v1/api/broadcasts", f.public(), event("lc", "flow_trigger", map[string]any{"flow_id": "News"}, nil), http.StatusConflict); code != "conflict" {
		t.Errorf("broadcast during a session: %s", code)
	}

	// The agent answers and signs off: each message reaches the callback, in order.
	ctx := context.Background()
	for _, text := range []string{"Hello, Sam here.", "It ships tomorrow.", "Anything else? LIVECHAT_SESSION_END"} {
		if err := f.app.Engine.Reply(ctx, engine.AgentReply{SessionID: sessionID, AgentName: "Sam", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Connecting you to an agent…", "Hello, Sam here.", "It ships tomorrow.", "Anything else?", "question"}
	waitFor(t, "the agent's messages", func() bool { return len(rc.texts()) == len(want) })
	if got := rc.texts(); !slices.Equal(got, want) {
		t.Fatalf("callbacks %q, want %q", got, want)
	}

	// The user clicks the end button: the bot answers in the response.
	r = f.chat(f.public(), event("lc", "payload", map[string]any{"payload": "LIVECHAT_SESSION_END"}, nil))
	if got := r.texts(); !slices.Equal(got, []string{"back (user_ended)"}) || r.Livechat != nil {
		t.Fatalf("after the end: %q, livechat %+v", got, r.Livechat)
	}

	// Everything is in the history too, for a client that was away.
	var page struct {
		Messages []struct {
			Payload switchboard.Payload `json:"payload"`
			Sender  switchboard.Sender  `json:"sender"`
		} `json:"messages"`
	}
	f.call("GET", "/v1/api/messages?user_id=lc&limit=100", f.fresh(), nil, &page)
	var fromAgent []string
	for _, m := range page.Messages {
		if m.Sender.Kind == switchboard.SenderAgent {
			fromAgent = append(fromAgent, m.Sender.Name+": "+textOf(m.Payload))
		}
	}
	if !slices.Equal(fromAgent, []string{"Sam: Hello, Sam here.", "Sam: It ships tomorrow.", "Sam: Anything else?"}) {
		t.Errorf("agent messages in the history: %q", fromAgent)
	}
	// The callback URL's query never reaches the logs.
	if strings.Contains(f.logs.String(), "t0ken") {
		t.Error("the callback URL's token is in the logs")
	}
}

func TestCallbacksAreRetriedInOrderAndNeverDuplicated(t *testing.T) {
	f := newFixture(t)
	// The first delivery fails once with a 500, then once by answering too
	// late (after processing it), then succeeds; the others wait for it.
	rc := newReceiver(t, f.secret, func(k, n int) string {
		if k > 1 {
			return ""
		}
		return map[int]string{1: "500", 2: "slow"}[n]
	})
	broadcast := func(name string) {
		t.Helper()
		var out struct {
			RequestID string `json:"request_id"`
		}
		body := event("rt", "flow_trigger", map[string]any{"flow_id": "News"}, map[string]any{
			"callback_url": rc.srv.URL, "metadata": map[string]string{"name": name}})
		if res := f.call("POST", "/v1/api/broadcasts", f.signed(time.Now()), body, &out); res.StatusCode != http.StatusOK || out.RequestID == "" {
			t.Fatalf("broadcast → %d %+v", res.StatusCode, out)
		}
	}
	broadcast("Ann")
	broadcast("Bob")
	want := []string{"news 1 for Ann", "news 2", "news 1 for Bob", "news 2"}
	waitFor(t, "every delivery", func() bool { return len(rc.texts()) == len(want) })
	if got := rc.texts(); !slices.Equal(got, want) {
		t.Fatalf("processed %q, want %q", got, want)
	}
	// The first delivery took three attempts; the later ones waited for it
	// and went through at once.
	attempts := rc.attemptsOf()
	rc.mu.Lock()
	order := slices.Clone(rc.order)
	rc.mu.Unlock()
	for k, id := range order {
		if want := map[bool]int{true: 3, false: 1}[k == 0]; attempts[id] != want {
			t.Errorf("delivery %d (%s): %d attempts, want %d", k+1, id, attempts[id], want)
		}
	}
	// Nothing more arrives: the slow attempt's retry was dropped by the
	// receiver, and no delivery is sent once it succeeded.
	time.Sleep(200 * time.Millisecond)
	if got := rc.texts(); len(got) != len(want) {
		t.Fatalf("processed %q after the end", got)
	}
}

func TestARefusedCallbackIsGivenUpAndHoldsNothingBack(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb struct {
			Messages []struct {
				Payload switchboard.Payload `json:"payload"`
			} `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&cb)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, textOf(cb.Messages[0].Payload))
		if len(got) == 1 {
			w.WriteHeader(http.StatusGone) // this receiver does not want it: never again
		}
	}))
	defer srv.Close()
	body := event("gone", "flow_trigger", map[string]any{"flow_id": "News"}, map[string]any{"callback_url": srv.URL, "metadata": map[string]string{"name": "Cy"}})
	f.call("POST", "/v1/api/broadcasts", f.signed(time.Now()), body, nil)
	waitFor(t, "the second message", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 2 })
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, []string{"news 1 for Cy", "news 2"}) {
		t.Fatalf("deliveries %q: want the refused one once, then the next", got)
	}
}
