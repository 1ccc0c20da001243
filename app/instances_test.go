package app_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard"
	"switchboard/app"
	"switchboard/engine"
	"switchboard/examples"
	"switchboard/httpapi"
	"switchboard/internal/eventually"
	"switchboard/secrets"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
)

// The guarantees of docs/scaling.md, shown on several instances of the
// server on one PostgreSQL database (skipped without SWITCHBOARD_TEST_POSTGRES).

func TestAPageGetsWhatOtherInstancesStore(t *testing.T) {
	in := startInstances(t, 3)
	userID, token := in.visitor(0)
	onA := in.open(0, userID, token) // the page the user looks at
	onB := in.open(1, userID, token) // the same user in another tab, on another instance

	// An event through B: the page on A gets the bot's reply.
	onB.send("e1", textPayload("hello"))
	onA.said(switchboard.SenderBot, "Hi! I am the switchboard demo bot.")

	// A session started through B; an agent answers through C.
	onB.send("e2", clickPayload(switchboard.PayloadSessionStart, "Talk to a human"))
	var s *switchboard.Session
	eventually.True(t, 10*time.Second, "the session to be active", func() bool {
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			s, err = tx.FindLiveSession(ctx, in.user(userID))
			return err
		})
		return s != nil && s.State == switchboard.SessionActive
	})
	err := in.app(2).Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Zoé", Text: "Hello from instance C"})
	if err != nil {
		t.Fatal(err)
	}
	onA.said(switchboard.SenderAgent, "Hello from instance C")

	// Everything stored reached the page once, in order.
	onA.has(len(in.history(in.user(userID))))
	if got, want := messageIDs(onA.got), messageIDs(in.history(in.user(userID))); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the page got messages %v, want the history %v", got, want)
	}
}

// contiguous checks that the messages of each request are one block of the
// history, starting with the received message: no other turn of the client
// ran in between.
func contiguous(t *testing.T, history []switchboard.Message) {
	t.Helper()
	first, last := map[string]int{}, map[string]int{}
	for i, m := range history {
		if m.RequestID == "" {
			continue
		}
		if _, ok := first[m.RequestID]; !ok {
			first[m.RequestID] = i
			if m.Direction != switchboard.DirectionReceive {
				t.Errorf("request %s begins with a %s message", m.RequestID, m.Direction)
			}
		}
		last[m.RequestID] = i
	}
	for req, f := range first {
		for i := f; i <= last[req]; i++ {
			if history[i].RequestID != req {
				t.Errorf("request %s: message %d of request %q falls inside its turn", req, history[i].ID, history[i].RequestID)
			}
		}
	}
	for i := 1; i < len(history); i++ {
		if a, b := history[i-1], history[i]; b.ConversationID == a.ConversationID && b.InteractionOrder <= a.InteractionOrder {
			t.Errorf("messages %d and %d: interaction order %d then %d", a.ID, b.ID, a.InteractionOrder, b.InteractionOrder)
		}
	}
}

func TestEventsOfOneClientRunOneAtATimeAcrossInstances(t *testing.T) {
	in := startInstances(t, 3)
	user := in.user("racer")
	const each = 6
	race := func(prefix string, check func(*engine.Reply)) {
		var wg sync.WaitGroup
		for i := range in.c.Len() {
			wg.Go(func() {
				for j := range each {
					check(in.event(i, user, fmt.Sprintf("%s-%d-%d", prefix, i, j), textPayload("hello")))
				}
			})
		}
		wg.Wait()
	}
	race("bot", func(r *engine.Reply) {
		if len(r.Messages) == 0 {
			t.Errorf("request %s: the bot did not answer", r.RequestID)
		}
	})
	history := in.history(user)
	contiguous(t, history)
	if n := len(history); n < 3*each*2 {
		t.Fatalf("%d messages for %d turns", n, 3*each)
	}

	// During a session, the same race: everything goes to the agent, never
	// to the bot, on whichever instance it arrives.
	s := in.startSession(0, user)
	race("live", func(r *engine.Reply) {
		if len(r.Messages) > 0 || r.Session == nil || r.Session.ID != s.ID {
			t.Errorf("request %s during the session: %d bot messages, session %v", r.RequestID, len(r.Messages), r.Session)
		}
	})
	in.idle()
	history = in.history(user)
	contiguous(t, history)
	relayed := 0
	for _, m := range history[len(history)-3*each:] {
		if m.Sender.Kind != switchboard.SenderUser || m.SessionID != s.ID {
			t.Errorf("message %d during the session: from %s, session %q", m.ID, m.Sender.Kind, m.SessionID)
		}
		relayed++
	}
	if got := in.metric(series("switchboard_turns_total", "route", "livechat")); got != 3*each+1 {
		t.Errorf("switchboard_turns_total{route=livechat} summed over the instances = %v, want %d", got, 3*each+1)
	}
}

func TestEveryOutboxJobRunsOnceAndInOrderAcrossInstances(t *testing.T) {
	in := startInstances(t, 3)
	// A Chat API client whose asynchronous messages (an agent's replies) are
	// POSTed to its callback URL by whichever instance claims the job.
	deliveries := make(chan int64, 100)
	hook := newCallbackServer(t, deliveries)
	status, body := in.admin(0, "POST", "/v1/admin/channels", "application/json", []byte(`{"bot_id": "livechat-demo", "type": "api"}`))
	var ch struct {
		Channel struct {
			ID     string `json:"id"`
			APIKey string `json:"api_key"`
		} `json:"channel"`
		Secret string `json:"api_secret"`
	}
	if err := json.Unmarshal(body, &ch); err != nil || status != 201 {
		t.Fatalf("create an API channel: %d %s", status, body)
	}
	chat := func(i int, key string, payload switchboard.Payload) int {
		req, _ := json.Marshal(map[string]any{"client": map[string]string{"user_id": "api-user"}, "payload": payload})
		status, _ := in.do(i, "POST", "/v1/api/chat", "application/json", req, http.Header{"X-Api-Key": {key}})
		return status
	}
	// The callback URL is given in a signed request (private mode).
	req, _ := json.Marshal(map[string]any{"client": map[string]string{"user_id": "api-user"}, "callback_url": hook,
		"payload": clickPayload(switchboard.PayloadSessionStart, "Talk to a human")})
	signed := ch.Channel.APIKey + "|" + strconv.FormatInt(in.clock.Now().Unix(), 10)
	sig := "sha256=" + hex.EncodeToString(httpapi.Sign([]byte(ch.Secret), signed))
	if status, body := in.do(1, "POST", "/v1/api/chat", "application/json", req, http.Header{"X-Api-Key": {signed}, "X-Api-Signature": {sig}}); status != 200 {
		t.Fatalf("start a session through the Chat API: %d %s", status, body)
	}
	user := switchboard.ClientKey{BotID: "livechat-demo", ChannelID: ch.Channel.ID, UserID: "api-user"}
	var s *switchboard.Session
	eventually.True(t, 10*time.Second, "the session to be active", func() bool {
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			s, err = tx.FindLiveSession(ctx, user)
			return err
		})
		return s != nil && s.State == switchboard.SessionActive
	})
	const replies = 24
	for n := range replies {
		err := in.app(n%3).Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, Text: fmt.Sprint("reply ", n)})
		if err != nil {
			t.Fatal(err)
		}
	}
	in.idle()
	var want []int64
	for _, m := range in.history(user) {
		if m.Direction == switchboard.DirectionSend && m.RequestID == "" {
			want = append(want, m.ID) // the connecting message and the replies
		}
	}
	var got []int64
	for len(got) < len(want) {
		select {
		case id := <-deliveries:
			got = append(got, id)
		case <-time.After(5 * time.Second):
			t.Fatalf("callbacks %v, want %v", got, want)
		}
	}
	select {
	case id := <-deliveries:
		t.Errorf("message %d was delivered again", id)
	case <-time.After(100 * time.Millisecond):
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("callbacks in the order %v, want %v", got, want)
	}

	// Rotating the channel's keys on one instance makes every instance
	// refuse the old key, though each remembered it (and the test clock
	// never lets a remembered key expire).
	for i := range in.c.Len() {
		if status := chat(i, ch.Channel.APIKey, textPayload("still here")); status != 200 {
			t.Fatalf("chat through instance %d: %d", i, status)
		}
	}
	if status, body := in.admin(0, "POST", "/v1/admin/channels/"+ch.Channel.ID+"/rotate", "", nil); status != 200 {
		t.Fatalf("rotate: %d %s", status, body)
	}
	for i := range in.c.Len() {
		eventually.True(t, 5*time.Second, fmt.Sprint("instance ", i, " to refuse the old key"), func() bool {
			return chat(i, ch.Channel.APIKey, textPayload("old key")) == 401
		})
	}
}

func TestABotImportedOnOneInstanceRunsOnAll(t *testing.T) {
	in := startInstances(t, 3)
	user := switchboard.ClientKey{BotID: "shop", ChannelID: "c", UserID: "u"}
	botJSON := func(say string) []byte {
		b, _ := json.Marshal(map[string]any{"id": "shop", "name": "Shop", "default_flow": "Default",
			"flows": []map[string]any{{"name": "Default", "commands": []string{}, "content": "start:\n  say \"" + say + "\"\n  goto end\n"}}})
		return b
	}
	answers := func(i int) string {
		r, err := in.app(i).Engine.HandleEvent(context.Background(), engine.Request{Client: user, Payload: textPayload("hi")})
		if err != nil || len(r.Messages) == 0 {
			return fmt.Sprint(err)
		}
		return string(r.Messages[0].Payload.Content)
	}
	for step, c := range []struct {
		on   int
		say  string
		want string
	}{{0, "Version one", `"Version one"`}, {1, "Version two", `"Version two"`}, {2, "Version three", `"Version three"`}} {
		status, body := 0, []byte(nil)
		if step < 2 {
			status, body = in.admin(c.on, "POST", "/v1/admin/bots", "application/json", botJSON(c.say))
		} else { // through the CSML engine API, as an app of a self-hosted engine does
			status, body = in.do(c.on, "POST", "/v1/engine/bots", "application/json", botJSON(c.say), http.Header{"X-Api-Key": {clusterEngineKey}})
		}
		if status != 201 {
			t.Fatalf("import %d on instance %d: %d %s", step, c.on, status, body)
		}
		for i := range in.c.Len() {
			eventually.True(t, 5*time.Second, fmt.Sprintf("instance %d to run %s", i, c.say), func() bool {
				return json.Valid([]byte(answers(i))) && strings.Contains(answers(i), c.want)
			})
		}
	}
	if status, body := in.admin(2, "DELETE", "/v1/admin/bots/shop", "", nil); status != 204 {
		t.Fatalf("delete: %d %s", status, body)
	}
	for i := range in.c.Len() {
		eventually.True(t, 5*time.Second, fmt.Sprintf("instance %d to unload the bot", i), func() bool {
			return strings.Contains(answers(i), "not loaded")
		})
	}
}

// newCallbackServer is a Chat API client's callback URL: it accepts every
// delivery and sends its message id to deliveries.
func newCallbackServer(t *testing.T, deliveries chan<- int64) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.Header.Get(httpapi.HeaderDelivery), 10, 64)
		if err != nil {
			t.Errorf("a callback without a delivery id: %v", err)
		}
		deliveries <- id
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/hook"
}

func TestALeasedJobOfADeadInstanceIsTakenOver(t *testing.T) {
	in := startInstances(t, 2)
	// The dead instance: a store on the same database that claimed a job
	// and stopped before recording its outcome, as after kill -9.
	dead, err := postgres.Open(context.Background(), in.dsn, postgres.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	now := in.clock.Now()
	due := now.Add(time.Minute) // not due yet for the live instances
	job := switchboard.Job{Kind: engine.JobCallback, Key: "callback:test", Payload: json.RawMessage(`{"message_id": 424242}`), RunAt: due, CreatedAt: now}
	err = dead.Update(context.Background(), func(tx switchboard.Tx) error {
		if err := tx.EnqueueJob(context.Background(), &job); err != nil {
			return err
		}
		claimed, err := tx.ClaimJobs(context.Background(), due, time.Minute, 10)
		if err == nil && len(claimed) != 1 {
			err = fmt.Errorf("the dead instance claimed %d jobs", len(claimed))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pending := func() int {
		var st switchboard.JobStats
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			st, err = tx.JobStats(ctx)
			return err
		})
		return st.Pending
	}
	in.clock.Advance(90 * time.Second) // due, but its lease runs until 2 minutes
	time.Sleep(150 * time.Millisecond) // several polls of the live instances
	if pending() != 1 {
		t.Fatal("a live instance took a job whose lease had not run out")
	}
	in.clock.Advance(31 * time.Second)
	eventually.True(t, 5*time.Second, "a live instance to take the job over", func() bool { return pending() == 0 })
	if got := in.metric(series("switchboard_jobs_total", "kind", engine.JobCallback, "outcome", "done")); got != 1 {
		t.Errorf("the job ran %v times over the instances, want 1", got)
	}
}

func TestSessionsExpireOnceWithThreeInstances(t *testing.T) {
	in := startInstances(t, 3)
	const sessions = 9
	var users []switchboard.ClientKey
	for n := range sessions {
		u := in.user(fmt.Sprint("user", n))
		in.event(n%3, u, "hello-"+u.UserID, textPayload("hello"))
		in.startSession(n%3, u)
		users = append(users, u)
	}
	in.idle()
	in.clock.Advance(31 * time.Minute) // past the default 30-minute timeout
	eventually.True(t, 10*time.Second, "every session to expire", func() bool {
		var live map[switchboard.SessionState]int
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			live, err = tx.CountLiveSessions(ctx)
			return err
		})
		return live[switchboard.SessionPending]+live[switchboard.SessionActive] == 0
	})
	in.idle()
	time.Sleep(100 * time.Millisecond) // timers that would fire twice have had their polls
	for _, u := range users {
		n := 0
		for _, m := range in.history(u) {
			if m.Sender.Kind == switchboard.SenderBot && strings.Contains(string(m.Payload.Content), "timed out") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: the bot said the session expired %d times", u.UserID, n)
		}
	}
	// An end is counted after its transaction committed: wait for the
	// last ones, then check that none was counted twice.
	ended := func() float64 {
		return in.metric(series("switchboard_sessions_ended_total", "platform", "desk", "reason", "expired"))
	}
	eventually.True(t, 10*time.Second, "every expiry to be counted", func() bool { return ended() >= sessions })
	if got := ended(); got != sessions {
		t.Errorf("sessions ended as expired, summed over the instances: %v, want %d", got, sessions)
	}
}

func TestAPageMovesToAnotherInstanceWhenItsInstanceStops(t *testing.T) {
	in := startInstances(t, 2)
	userID, token := in.visitor(0)
	user := in.user(userID)
	onA := in.open(0, userID, token)
	onA.send("e1", textPayload("hello"))
	onA.said(switchboard.SenderBot, "demo bot")
	s := in.startSession(0, user)
	onA.has(len(in.history(user)))

	// A stops gracefully: its page is told to go away, and reconnects to B,
	// from the last message it has, while the agent goes on writing.
	stopped := make(chan error, 1)
	go func() { stopped <- in.c.Stop(0) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if _, _, err := onA.ws.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Fatalf("the page's connection ended with %v, want going away", err)
			}
			break
		}
	}
	if err := <-stopped; err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	for n := range 3 {
		if err := in.app(1).Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, Text: fmt.Sprint("while you moved ", n)}); err != nil {
			t.Fatal(err)
		}
	}
	last := onA.got[len(onA.got)-1].ID
	onB := openPageAfter(t, in.c.URL(1), in.channel, userID, token, last)
	onB.has(len(in.history(user)) - len(onA.got))
	if got, want := messageIDs(append(onA.got, onB.got...)), messageIDs(in.history(user)); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the page got %v over two instances, want the history %v", got, want)
	}

	// A starts again on its address and serves.
	if err := in.c.Start(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	again := in.open(0, userID, token)
	if len(again.got) != len(in.history(user)) {
		t.Errorf("the restarted instance sent %d messages of history, want %d", len(again.got), len(in.history(user)))
	}
}

func TestInstancesStartingAtOnceCreateTheirSharedRowsOnce(t *testing.T) {
	dsn := pgtest.Schema(t)
	keys := base64.StdEncoding.EncodeToString(secrets.NewKey())
	var wg sync.WaitGroup
	apps := make([]*app.App, 3)
	for i := range apps {
		wg.Go(func() {
			a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Database: dsn, SecretKeys: keys,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}}})
			if err != nil {
				t.Error(err)
				return
			}
			apps[i] = a
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- a.Serve(ctx) }()
			t.Cleanup(func() { cancel(); <-done })
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var chans []switchboard.Channel
	err := apps[0].Store.View(context.Background(), func(tx switchboard.Tx) (err error) {
		chans, err = tx.ChannelsOfBot(context.Background(), "livechat-demo")
		return err
	})
	if err != nil || len(chans) != 1 {
		t.Fatalf("the bot has %d channels (%v), want one chat page", len(chans), err)
	}
	// The visitor-token secret is shared: a visitor of one instance is known to all.
	userID, token := newVisitor(t, apps[0].URL(), chans[0].ID)
	for _, a := range apps[1:] {
		openPage(t, a.URL(), chans[0].ID, userID, token)
	}
}
