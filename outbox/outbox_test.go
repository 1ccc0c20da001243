package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"switchboard/internal/eventually"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/hub"
	"switchboard/internal/testclock"
	"switchboard/outbox"
	"switchboard/store/sqlite"
)

type permanent struct{ error }

func (permanent) Permanent() bool { return true }

type retryAfter struct {
	error
	d time.Duration
}

func (r retryAfter) RetryAfter() time.Duration { return r.d }

// recorder is a handler that records the payloads it ran and fails on demand.
type recorder struct {
	mu   sync.Mutex
	ran  []string
	fail func(payload string, attempt int) error
	seen map[string]int
}

func (r *recorder) handle(_ context.Context, j switchboard.Job) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := string(j.Payload)
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	r.seen[p]++
	if r.fail != nil {
		if err := r.fail(p, r.seen[p]); err != nil {
			return err
		}
	}
	r.ran = append(r.ran, p)
	return nil
}

func (r *recorder) done() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ran...)
}

type env struct {
	t     *testing.T
	store *sqlite.DB
	hub   *hub.Hub
	clock *testclock.Clock
}

func newEnv(t *testing.T) *env {
	clock := testclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return &env{t: t, store: store, hub: hub.New(), clock: clock}
}

func (e *env) enqueue(key string, payloads ...string) {
	e.t.Helper()
	err := e.store.Update(context.Background(), func(tx switchboard.Tx) error {
		for _, p := range payloads {
			if err := tx.EnqueueJob(context.Background(), &switchboard.Job{Kind: "k", Key: key, Payload: []byte(fmt.Sprintf("%q", p))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.hub.Notify(switchboard.TopicJobs)
}

func (e *env) start(r *recorder) *outbox.Worker {
	w := outbox.New(e.store, e.hub, e.clock, map[string]outbox.Handler{"k": r.handle},
		outbox.Config{Poll: 5 * time.Millisecond, MaxBackoff: 10 * time.Millisecond, Lease: time.Minute}, slog.New(slog.DiscardHandler))
	w.Start(context.Background())
	e.t.Cleanup(func() { w.Stop(context.Background()) })
	return w
}

// nextJobAt returns when the store says the next job is due, or nil.
func (e *env) nextJobAt() *time.Time {
	var next *time.Time
	_ = e.store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		next, err = tx.NextJobAt(context.Background())
		return err
	})
	return next
}

func (e *env) stats() switchboard.JobStats {
	var s switchboard.JobStats
	_ = e.store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		s, err = tx.JobStats(context.Background())
		return err
	})
	return s
}

func TestJobsOfAKeyRunInOrderAndAFailureHoldsThemBack(t *testing.T) {
	e := newEnv(t)
	var failA sync.Mutex
	failing := true
	r := &recorder{fail: func(p string, _ int) error {
		failA.Lock()
		defer failA.Unlock()
		if p == `"a1"` && failing {
			return errors.New("platform down")
		}
		return nil
	}}
	e.start(r)
	e.enqueue("A", "a1", "a2", "a3")
	e.enqueue("B", "b1", "b2")
	eventually.True(t, 5*time.Second, "key B to finish although A is failing", func() bool { return len(r.done()) == 2 })
	if got := fmt.Sprint(r.done()); got != `["b1" "b2"]` {
		t.Fatalf("ran %s while a1 was failing", got)
	}
	failA.Lock()
	failing = false
	failA.Unlock()
	// Once a1's failure is stored, its retry is due after the backoff (under
	// 12 ms) instead of its one-minute lease: move the clock after that.
	eventually.True(t, 5*time.Second, "a1's retry to be stored", func() bool {
		next := e.nextJobAt()
		return next != nil && next.Before(e.clock.Now().Add(time.Minute))
	})
	e.clock.Advance(time.Second) // past the backoff
	eventually.True(t, 5*time.Second, "key A to finish", func() bool { return len(r.done()) == 5 })
	if got := fmt.Sprint(r.done()[2:]); got != `["a1" "a2" "a3"]` {
		t.Fatalf("key A ran as %s", got)
	}
	eventually.True(t, 5*time.Second, "every job recorded done", func() bool {
		s := e.stats()
		return s.Pending == 0 && s.Dead == 0
	})
}

func TestPermanentErrorsAndPanicsBuryTheJobAndUnblockTheKey(t *testing.T) {
	e := newEnv(t)
	r := &recorder{fail: func(p string, _ int) error {
		switch p {
		case `"bad"`:
			return permanent{errors.New("rejected")}
		case `"boom"`:
			panic("handler bug")
		}
		return nil
	}}
	e.start(r)
	e.enqueue("A", "bad", "boom", "good")
	eventually.True(t, 5*time.Second, "the job after the buried ones", func() bool { return len(r.done()) == 1 })
	// The worker records the job done after its handler returns.
	eventually.True(t, 5*time.Second, "no job pending and two dead", func() bool {
		s := e.stats()
		return s.Dead == 2 && s.Pending == 0
	})
	var dead []switchboard.Job
	_ = e.store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		dead, err = tx.DeadJobs(context.Background(), 10)
		return err
	})
	if len(dead) != 2 || dead[0].LastError == "" {
		t.Fatalf("dead letters: %+v", dead)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	e := newEnv(t)
	r := &recorder{fail: func(p string, attempt int) error {
		if attempt == 1 {
			return retryAfter{errors.New("429"), 30 * time.Second}
		}
		return nil
	}}
	e.start(r)
	e.enqueue("A", "x")
	// The retry is stored with its due time once the worker has recorded the
	// failed attempt; moving the clock before that would move the due time too.
	retryAt := e.clock.Now().Add(30 * time.Second)
	eventually.True(t, 5*time.Second, "the failed attempt to be recorded", func() bool {
		next := e.nextJobAt()
		return next != nil && next.Equal(retryAt)
	})
	e.clock.Advance(29 * time.Second)
	time.Sleep(30 * time.Millisecond)
	if len(r.done()) != 0 {
		t.Fatal("retried before Retry-After")
	}
	e.clock.Advance(2 * time.Second)
	eventually.True(t, 5*time.Second, "the retry", func() bool { return len(r.done()) == 1 })
}

func TestAJobOfADeadWorkerIsTakenAgainAfterItsLease(t *testing.T) {
	e := newEnv(t)
	e.enqueue("A", "x")
	// A worker claims the job and dies without finishing it.
	err := e.store.Update(context.Background(), func(tx switchboard.Tx) error {
		jobs, err := tx.ClaimJobs(context.Background(), e.clock.Now(), time.Minute, 10)
		if len(jobs) != 1 {
			t.Fatalf("claimed %d jobs", len(jobs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	e.start(r)
	time.Sleep(30 * time.Millisecond)
	if len(r.done()) != 0 {
		t.Fatal("a leased job ran twice at once")
	}
	e.clock.Advance(time.Minute + time.Second)
	eventually.True(t, 5*time.Second, "the job to be taken over", func() bool { return len(r.done()) == 1 })
}

func TestStopWaitsForTheJobInFlight(t *testing.T) {
	e := newEnv(t)
	started, release := make(chan struct{}), make(chan struct{})
	var finished bool
	w := outbox.New(e.store, e.hub, e.clock, map[string]outbox.Handler{"k": func(context.Context, switchboard.Job) error {
		close(started)
		<-release
		finished = true
		return nil
	}}, outbox.Config{Poll: 5 * time.Millisecond}, slog.New(slog.DiscardHandler))
	w.Start(context.Background())
	e.enqueue("A", "x")
	<-started
	go func() { time.Sleep(30 * time.Millisecond); close(release) }()
	if err := w.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !finished {
		t.Fatal("Stop returned before the job finished")
	}
	if s := e.stats(); s.Pending != 0 {
		t.Fatalf("the finished job was not recorded: %+v", s)
	}
}

// The jobs of one key run one after the other as fast as they finish, not
// one per poll: a busy livechat queue's moves are jobs of one key.
func TestJobsOfAKeyRunBackToBack(t *testing.T) {
	e := newEnv(t)
	r := &recorder{}
	w := outbox.New(e.store, e.hub, e.clock, map[string]outbox.Handler{"k": r.handle},
		outbox.Config{Poll: time.Hour, Lease: time.Minute}, slog.New(slog.DiscardHandler))
	w.Start(context.Background())
	t.Cleanup(func() { w.Stop(context.Background()) })
	e.enqueue("A", "a1", "a2", "a3", "a4", "a5")
	eventually.True(t, 10*time.Second, "the five jobs of key A to run without a poll", func() bool { return len(r.done()) == 5 })
	if got := fmt.Sprint(r.done()); got != `["a1" "a2" "a3" "a4" "a5"]` {
		t.Fatalf("key A ran as %s", got)
	}
}
