package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard"
	"switchboard/app"
	"switchboard/app/cluster"
	"switchboard/engine"
	"switchboard/examples"
	"switchboard/internal/eventually"
	"switchboard/internal/testclock"
	"switchboard/store/postgres/pgtest"
)

// instances is a cluster of servers with the demo bot on one PostgreSQL
// schema, on a clock the test moves.
type instances struct {
	t       *testing.T
	c       *cluster.Cluster
	clock   *testclock.Clock
	dsn     string
	channel string // the demo bot's chat page channel
}

// startInstances starts n instances; it skips the test without PostgreSQL.
// clusterEngineKey is the CSML engine API key of the instances.
const clusterEngineKey = "cluster-engine-key-0123456789"

func startInstances(t *testing.T, n int) *instances {
	t.Helper()
	dsn := pgtest.Schema(t)
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	c, err := cluster.Start(context.Background(), app.Config{
		Database: dsn, DataDir: t.TempDir(), Clock: clock, WorkerPoll: 20 * time.Millisecond,
		CallbackAllow: []string{"127.0.0.0/8", "::1"}, // the tests' callback receivers
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bots:          []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}},
		EngineAPIKeys: clusterEngineKey,
	}, n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("stop the instances: %v", err)
		}
	})
	chat, err := c.App(0).ChatURL(context.Background(), "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	return &instances{t: t, c: c, clock: clock, dsn: dsn, channel: chat[strings.LastIndex(chat, "/")+1:]}
}

// app is instance i.
func (in *instances) app(i int) *app.App { return in.c.App(i) }

// user is a client of the demo bot's chat page.
func (in *instances) user(id string) switchboard.ClientKey {
	return switchboard.ClientKey{BotID: "livechat-demo", ChannelID: in.channel, UserID: id}
}

// event sends one event of a user through instance i's engine, as a
// request reaching that instance does.
func (in *instances) event(i int, user switchboard.ClientKey, requestID string, p switchboard.Payload) *engine.Reply {
	in.t.Helper()
	r, err := in.app(i).Engine.HandleEvent(context.Background(), engine.Request{Client: user, RequestID: requestID, Payload: p})
	if err != nil {
		in.t.Fatalf("event %s on instance %d: %v", requestID, i, err)
	}
	return r
}

func textPayload(s string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: raw}
}

func clickPayload(payload, title string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"payload": payload, "title": title})
	return switchboard.Payload{ContentType: "payload", Content: raw}
}

// view reads the shared store, through the first instance running.
func (in *instances) view(fn func(ctx context.Context, tx switchboard.Tx) error) {
	in.t.Helper()
	ctx := context.Background()
	for i := range in.c.Len() {
		if a := in.app(i); a != nil {
			if err := a.Store.View(ctx, func(tx switchboard.Tx) error { return fn(ctx, tx) }); err != nil {
				in.t.Fatal(err)
			}
			return
		}
	}
	in.t.Fatal("no instance is running")
}

// history is a user's messages, oldest first.
func (in *instances) history(user switchboard.ClientKey) []switchboard.Message {
	var out []switchboard.Message
	in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
		out, err = tx.MessagesAfter(ctx, user, 0, 0)
		return err
	})
	return out
}

// session reads a session.
func (in *instances) session(id string) switchboard.Session {
	var s *switchboard.Session
	in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
		s, err = tx.Session(ctx, id)
		return err
	})
	return *s
}

// startSession asks for a human through instance i and waits until the
// desk took the session.
func (in *instances) startSession(i int, user switchboard.ClientKey) switchboard.Session {
	in.t.Helper()
	r := in.event(i, user, "start-"+user.UserID, clickPayload(switchboard.PayloadSessionStart, "Talk to a human"))
	if r.Session == nil {
		in.t.Fatalf("no session started for %s", user.UserID)
	}
	eventually.True(in.t, 10*time.Second, "the session to be active", func() bool {
		return in.session(r.Session.ID).State == switchboard.SessionActive
	})
	return in.session(r.Session.ID)
}

// idle waits until the outbox is empty.
func (in *instances) idle() {
	in.t.Helper()
	eventually.True(in.t, 10*time.Second, "the outbox to be empty", func() bool {
		var st switchboard.JobStats
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			st, err = tx.JobStats(ctx)
			return err
		})
		return st.Pending == 0
	})
}

// metric sums a series over every instance's /metrics; series is the
// name with its labels as Prometheus prints them.
func (in *instances) metric(series string) float64 {
	in.t.Helper()
	line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	sum := 0.0
	for i := range in.c.Len() {
		if in.app(i) == nil {
			continue // stopped: its counts are gone with it
		}
		_, body := in.do(i, "GET", "/metrics", "", nil, nil)
		if m := line.FindSubmatch(body); m != nil {
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			sum += v
		}
	}
	return sum
}

// do sends an HTTP request to instance i and returns the status and body.
func (in *instances) do(i int, method, path, contentType string, body []byte, header http.Header) (int, []byte) {
	in.t.Helper()
	req, err := http.NewRequest(method, in.c.URL(i)+path, bytes.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatalf("%s %s on instance %d: %v", method, path, i, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

// admin calls the admin API of instance i with the shared token.
func (in *instances) admin(i int, method, path, contentType string, body []byte) (int, []byte) {
	in.t.Helper()
	return in.do(i, method, path, contentType, body, http.Header{"Authorization": {"Bearer " + in.c.AdminToken()}})
}

// page is a chat page's WebSocket on one instance.
type page struct {
	t  *testing.T
	ws *websocket.Conn
	// got are the messages received, in order.
	got []switchboard.Message
}

// visitor gets a visitor's id and token from instance i, as a page does.
func (in *instances) visitor(i int) (userID, token string) {
	return newVisitor(in.t, in.c.URL(i), in.channel)
}

// open connects a visitor's page to instance i and reads up to "ready".
func (in *instances) open(i int, userID, token string) *page {
	return openPage(in.t, in.c.URL(i), in.channel, userID, token)
}

// newVisitor gets a visitor's id and token from a server, as a page does.
func newVisitor(t *testing.T, base, channel string) (userID, token string) {
	t.Helper()
	res, err := http.Post(base+"/v1/webapp/"+channel+"/visitors", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct {
		UserID string `json:"user_id"`
		Token  string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("visitor: %d %v", res.StatusCode, err)
	}
	return v.UserID, v.Token
}

// openPage connects a visitor's page to a server and reads up to "ready".
func openPage(t *testing.T, base, channel, userID, token string) *page {
	t.Helper()
	return openPageAfter(t, base, channel, userID, token, 0)
}

// openPageAfter connects a page that has the messages up to id after, and
// reads up to "ready".
func openPageAfter(t *testing.T, base, channel, userID, token string, after int64) *page {
	t.Helper()
	q := url.Values{"user_id": {userID}, "token": {token}, "after": {strconv.FormatInt(after, 10)}}
	u := "ws" + strings.TrimPrefix(base, "http") + "/v1/webapp/" + channel + "/ws?" + q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatalf("open a page on %s: %v", base, err)
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	p := &page{t: t, ws: ws}
	p.until(func(typ string, _ *switchboard.Message) bool { return typ == "ready" })
	return p
}

// send sends an event frame.
func (p *page) send(id string, payload switchboard.Payload) {
	p.t.Helper()
	data, _ := json.Marshal(map[string]any{"type": "event", "id": id, "payload": payload})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.ws.Write(ctx, websocket.MessageText, data); err != nil {
		p.t.Fatalf("send: %v", err)
	}
}

// until reads frames, keeping the messages, until done says so about one
// (its type and, for a message frame, the message).
func (p *page) until(done func(typ string, m *switchboard.Message) bool) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, data, err := p.ws.Read(ctx)
		if err != nil {
			p.t.Fatalf("read a frame: %v (messages so far: %d)", err, len(p.got))
		}
		var f struct {
			Type    string               `json:"type"`
			Message *switchboard.Message `json:"message"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			p.t.Fatalf("frame %s: %v", data, err)
		}
		var m *switchboard.Message
		if f.Type == "message" && f.Message != nil {
			p.got = append(p.got, *f.Message)
			m = f.Message
		}
		if done(f.Type, m) {
			return
		}
	}
}

// has reads frames until the page has at least n messages.
func (p *page) has(n int) {
	p.t.Helper()
	if len(p.got) < n {
		p.until(func(string, *switchboard.Message) bool { return len(p.got) >= n })
	}
}

// said waits for a message containing text from a sender of kind.
func (p *page) said(kind switchboard.SenderKind, text string) {
	p.t.Helper()
	p.until(func(_ string, m *switchboard.Message) bool {
		return m != nil && m.Sender.Kind == kind && strings.Contains(string(m.Payload.Content), text)
	})
}

// messageIDs are the ids of messages.
func messageIDs(ms []switchboard.Message) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// series renders a Prometheus series name with labels, in their order.
func series(name string, kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, fmt.Sprintf("%s=%q", kv[i], kv[i+1]))
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}
