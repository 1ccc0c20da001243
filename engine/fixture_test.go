package engine_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
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
	"switchboard/timers"
)

// fixture is a real engine on a real SQLite store with its workers running.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	path    string
	store   *sqlite.DB
	hub     *hub.Hub
	clock   switchboard.Clock
	eng     *engine.Engine
	workers []interface{ Stop(context.Context) error }
	// flaky is a provider whose failures a test can set (platform outages).
	flaky *flakyProvider
	// extra are more providers, by platform name.
	extra map[string]livechat.Provider
	// metrics, when set before start, is the engine's.
	metrics engine.Metrics
	// jobsRun counts the outbox jobs run, by kind.
	jobsMu  sync.Mutex
	jobsRun map[string]int
}

var botKey = switchboard.ClientKey{BotID: "support", ChannelID: "web", UserID: "u1"}

func newFixture(t *testing.T, clock switchboard.Clock) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), path: filepath.Join(t.TempDir(), "sb.db"), clock: clock}
	f.start()
	t.Cleanup(f.stop)
	return f
}

// start opens the store and starts the engine and its workers (again, after
// stop: a restart).
func (f *fixture) start() {
	t := f.t
	store, err := sqlite.Open(f.ctx, f.path, sqlite.Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.store, f.hub = store, hub.New()
	src, err := os.ReadFile("testdata/support.csml")
	if err != nil {
		t.Fatal(err)
	}
	bots := engine.NewBots()
	bot := switchboard.Bot{ID: "support", Name: "Support", DefaultFlow: "Main",
		Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Content: string(src), Commands: []string{}}}}
	if _, err := bots.Put(switchboard.NewBotVersion(bot, f.clock.Now())); err != nil {
		t.Fatal(err)
	}
	if f.flaky == nil {
		f.flaky = &flakyProvider{}
	}
	log := slog.New(slog.DiscardHandler)
	providers := map[string]livechat.Provider{
		livechat.PlatformDesk: desk.NewProvider(),
		"flaky":               f.flaky,
	}
	maps.Copy(providers, f.extra)
	f.eng = engine.New(store, f.hub, bots, engine.Config{Clock: f.clock, Log: log, Metrics: f.metrics, Providers: providers})
	handlers := f.eng.JobHandlers()
	for kind, h := range handlers {
		handlers[kind] = func(ctx context.Context, j switchboard.Job) error {
			f.jobsMu.Lock()
			if f.jobsRun == nil {
				f.jobsRun = map[string]int{}
			}
			f.jobsRun[kind]++
			f.jobsMu.Unlock()
			return h(ctx, j)
		}
	}
	ob := outbox.New(store, f.hub, f.clock, handlers, outbox.Config{Poll: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}, log)
	tm := timers.New(store, f.hub, f.clock, f.eng.TimerHandlers(), timers.Config{Poll: 10 * time.Millisecond}, log)
	ob.Start(f.ctx)
	tm.Start(f.ctx)
	f.workers = []interface{ Stop(context.Context) error }{ob, tm}
}

// jobs returns how many jobs of kind ran.
func (f *fixture) jobs(kind string) int {
	f.jobsMu.Lock()
	defer f.jobsMu.Unlock()
	return f.jobsRun[kind]
}

// stop shuts the workers down and closes the store, as a process exit does.
func (f *fixture) stop() {
	for _, w := range f.workers {
		_ = w.Stop(f.ctx)
	}
	f.workers = nil
	if f.store != nil {
		_ = f.store.Close()
		f.store = nil
	}
}

func (f *fixture) setSettings(s livechat.Settings) {
	f.t.Helper()
	raw, _ := json.Marshal(s)
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
		return tx.PutSetting(f.ctx, livechat.SettingName("support"), raw)
	}); err != nil {
		f.t.Fatal(err)
	}
}

func text(s string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: raw}
}

func button(payload string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"payload": payload})
	return switchboard.Payload{ContentType: "payload", Content: raw}
}

// send sends an event as the user and fails the test on error.
func (f *fixture) send(p switchboard.Payload) *engine.Reply {
	f.t.Helper()
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: p})
	if err != nil {
		f.t.Fatalf("HandleEvent: %v", err)
	}
	return r
}

// history returns every message of the test client.
func (f *fixture) history() []switchboard.Message {
	f.t.Helper()
	var msgs []switchboard.Message
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		msgs, err = tx.MessagesAfter(f.ctx, botKey, 0, 1000)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return msgs
}

// session returns the client's live session, or nil.
func (f *fixture) liveSession() *switchboard.Session {
	f.t.Helper()
	var s *switchboard.Session
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.FindLiveSession(f.ctx, botKey)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) session(id string) *switchboard.Session {
	f.t.Helper()
	var s *switchboard.Session
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.Session(f.ctx, id)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// waitFor polls cond until it holds, failing the test after 5 seconds.
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	eventually.True(f.t, 5*time.Second, what, cond)
}

// waitForRetry waits until a failed job's retry is stored: the next job is
// due after the backoff (later than now, sooner than the one-minute lease it
// was claimed with). The worker stores it, with a due time read from the
// clock, after the handler returned: a test that moves the clock must wait
// for it first, or the retry is due after the moved clock.
func (f *fixture) waitForRetry(what string) {
	f.t.Helper()
	f.waitFor(what, func() bool {
		var next *time.Time
		if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
			var err error
			next, err = tx.NextJobAt(f.ctx)
			return err
		}); err != nil {
			f.t.Fatal(err)
		}
		now := f.clock.Now()
		return next != nil && next.After(now) && next.Before(now.Add(time.Minute))
	})
}

// activeSession starts a session and waits until the platform confirmed it.
func (f *fixture) activeSession() *switchboard.Session {
	f.t.Helper()
	f.send(button(switchboard.PayloadSessionStart))
	var s *switchboard.Session
	f.waitFor("the session to become active", func() bool {
		s = f.liveSession()
		return s != nil && s.State == switchboard.SessionActive
	})
	return s
}

// texts renders messages as "direction sender: text-or-content_type" lines.
func texts(msgs []switchboard.Message) []string {
	var out []string
	for _, m := range msgs {
		var c struct {
			Text  *string `json:"text"`
			Title string  `json:"title"`
		}
		_ = json.Unmarshal(m.Payload.Content, &c)
		s := string(m.Direction) + " " + string(m.Sender.Kind) + ": "
		switch {
		case c.Text != nil:
			s += *c.Text
		case c.Title != "":
			s += m.Payload.ContentType + " " + c.Title
		default:
			s += m.Payload.ContentType + " " + string(m.Payload.Content)
		}
		out = append(out, s)
	}
	return out
}

// flakyProvider is a platform whose availability the test controls: it
// records what it received and fails while told to.
type flakyProvider struct {
	mu     sync.Mutex
	fail   error
	opened int
	sent   []string
	ended  []livechat.EndRequest
	notes  []string
}

func (p *flakyProvider) setFail(err error) {
	p.mu.Lock()
	p.fail = err
	p.mu.Unlock()
}

func (p *flakyProvider) Open(_ context.Context, r livechat.OpenRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return "", p.fail
	}
	p.opened++
	return "ticket-" + r.Session.ID, nil
}

func (p *flakyProvider) Send(_ context.Context, r livechat.SendRequest) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.sent = append(p.sent, r.Text)
	return nil
}

func (p *flakyProvider) End(_ context.Context, r livechat.EndRequest) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.ended = append(p.ended, r)
	return nil
}

func (p *flakyProvider) Note(_ context.Context, r livechat.NoteRequest) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.notes = append(p.notes, r.Text)
	return nil
}

func (p *flakyProvider) snapshot() (opened int, sent []string, ended []livechat.EndRequest, notes []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.opened, append([]string(nil), p.sent...), append([]livechat.EndRequest(nil), p.ended...), append([]string(nil), p.notes...)
}
