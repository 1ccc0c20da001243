package timers

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"switchboard"
	"switchboard/worker"
)

// Handler fires one timer; see the package documentation for its duties.
type Handler func(ctx context.Context, t switchboard.Timer) error

// Config tunes the worker; the zero value works.
type Config struct {
	Lease      time.Duration
	Poll       time.Duration
	Batch      int
	MaxBackoff time.Duration
}

func (c Config) withDefaults() Config {
	if c.Lease <= 0 {
		c.Lease = time.Minute
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Batch <= 0 {
		c.Batch = 64
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Minute
	}
	return c
}

// Worker claims due timers and runs their handlers; Start and Stop come from
// its loop.
type Worker struct {
	*worker.Loop
	store    switchboard.Store
	clock    switchboard.Clock
	handlers map[string]Handler
	cfg      Config
	log      *slog.Logger
	failures map[string]int
}

// New returns a worker; sub wakes it when a timer is set (TopicTimers).
func New(store switchboard.Store, sub switchboard.Subscriber, clock switchboard.Clock, handlers map[string]Handler, cfg Config, log *slog.Logger) *Worker {
	cfg = cfg.withDefaults()
	w := &Worker{store: store, clock: clock, handlers: handlers, cfg: cfg, log: log, failures: make(map[string]int)}
	w.Loop = worker.NewLoop(w.round, sub, switchboard.TopicTimers, cfg.Poll)
	return w
}

// round fires the due timers one after the other and says when to look again.
// Timers are few and their handlers short, so they run in the loop itself.
func (w *Worker) round(ctx context.Context) time.Duration {
	var due []switchboard.Timer
	err := w.store.Update(ctx, func(tx switchboard.Tx) error {
		var err error
		due, err = tx.ClaimTimers(ctx, w.clock.Now(), w.cfg.Lease, w.cfg.Batch)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("timers: claim", "err", err)
		}
		return w.cfg.Poll
	}
	for _, t := range due {
		w.fire(t)
	}
	if len(due) == w.cfg.Batch {
		return 0
	}
	return worker.UntilNext(ctx, w.store, w.clock, w.cfg.Poll, switchboard.Tx.NextTimerAt)
}

func (w *Worker) fire(t switchboard.Timer) {
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.Lease*3/4)
	defer cancel()
	h := w.handlers[t.Kind]
	err := errors.New("no handler for timer kind " + t.Kind)
	if h != nil {
		err = worker.Safely(func() error { return h(ctx, t) })
	}
	if err == nil {
		delete(w.failures, t.Key)
		return
	}
	w.failures[t.Key]++
	delay := worker.Backoff(w.failures[t.Key], w.cfg.MaxBackoff, rand.Float64)
	w.log.Warn("timers: handler failed", "timer", t.Key, "kind", t.Kind, "retry_in", delay, "err", err)
	t.DueAt = w.clock.Now().Add(delay)
	if rerr := w.store.Update(ctx, func(tx switchboard.Tx) error { return tx.SetTimer(ctx, &t) }); rerr != nil {
		w.log.Error("timers: reschedule", "timer", t.Key, "err", rerr)
	}
}
