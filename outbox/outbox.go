package outbox

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"switchboard"
	"switchboard/worker"
)

// Handler runs one job. It returns nil when done, an error to retry later, or
// an error with a Permanent() bool method to give the job up.
type Handler func(ctx context.Context, j switchboard.Job) error

// Config tunes the worker; the zero value works.
type Config struct {
	// Lease is how long a claimed job is held before another worker may take it.
	Lease time.Duration
	// Poll bounds how long the worker sleeps without a wake-up hint.
	Poll time.Duration
	// Batch is the most jobs claimed per round; Concurrency the most run at once.
	Batch       int
	Concurrency int
	// MaxBackoff caps the delay between attempts.
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
	if c.Concurrency <= 0 {
		c.Concurrency = 16
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 5 * time.Minute
	}
	return c
}

// Worker claims due jobs and runs their handlers; Start and Stop come from
// its loop.
type Worker struct {
	*worker.Loop
	store    switchboard.Store
	clock    switchboard.Clock
	handlers map[string]Handler
	cfg      Config
	log      *slog.Logger
	slots    chan struct{}
}

// New returns a worker; sub wakes it when jobs are enqueued (TopicJobs).
func New(store switchboard.Store, sub switchboard.Subscriber, clock switchboard.Clock, handlers map[string]Handler, cfg Config, log *slog.Logger) *Worker {
	cfg = cfg.withDefaults()
	w := &Worker{store: store, clock: clock, handlers: handlers, cfg: cfg, log: log, slots: make(chan struct{}, cfg.Concurrency)}
	w.Loop = worker.NewLoop(w.round, sub, switchboard.TopicJobs, cfg.Poll)
	return w
}

// round claims a batch of due jobs, starts them, and says when to look again.
func (w *Worker) round(ctx context.Context) time.Duration {
	free := cap(w.slots) - len(w.slots)
	if free == 0 {
		return 10 * time.Millisecond
	}
	limit := min(free, w.cfg.Batch)
	var jobs []switchboard.Job
	var next *time.Time
	// One transaction a round: when the claim leaves nothing due, the same
	// transaction reads when the next job is due (a retry, a lease that
	// runs out); jobs enqueued later wake the loop (TopicJobs).
	err := w.store.Update(ctx, func(tx switchboard.Tx) error {
		var err error
		if jobs, err = tx.ClaimJobs(ctx, w.clock.Now(), w.cfg.Lease, limit); err != nil || len(jobs) == limit {
			return err
		}
		next, err = tx.NextJobAt(ctx)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("outbox: claim jobs", "err", err)
		}
		return w.cfg.Poll
	}
	for _, j := range jobs {
		w.slots <- struct{}{}
		w.Go(func() {
			defer func() { <-w.slots }()
			w.run(j)
		})
	}
	switch {
	case len(jobs) == limit:
		return 0
	case next == nil:
		return w.cfg.Poll
	}
	return next.Sub(w.clock.Now())
}

// run executes one job with a deadline inside its lease and records the outcome.
func (w *Worker) run(j switchboard.Job) {
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.Lease*3/4)
	defer cancel()
	h := w.handlers[j.Kind]
	var err error
	if h == nil {
		err = permanent{errors.New("no handler for job kind " + j.Kind)}
	} else if err = worker.Safely(func() error { return h(ctx, j) }); err != nil && strings.HasPrefix(err.Error(), "panic: ") {
		// A job whose handler panics would panic again: give it up.
		err = permanent{err}
	}
	record := func(tx switchboard.Tx) error {
		switch {
		case err == nil:
			return tx.CompleteJob(ctx, j.ID)
		case isPermanent(err):
			return tx.BuryJob(ctx, j.ID, err.Error())
		default:
			delay := worker.Backoff(j.Attempts+1, w.cfg.MaxBackoff, rand.Float64)
			if d, ok := retryAfter(err); ok {
				delay = d
			}
			return tx.RetryJob(ctx, j.ID, w.clock.Now().Add(delay), err.Error())
		}
	}
	if err != nil {
		w.log.Warn("outbox: job failed", "job", j.ID, "kind", j.Kind, "key", j.Key, "attempt", j.Attempts+1, "permanent", isPermanent(err), "err", err)
	}
	if rerr := w.store.Update(ctx, record); rerr != nil {
		// The lease runs out and the job is taken again: at least once.
		w.log.Error("outbox: record job outcome", "job", j.ID, "err", rerr)
	} else if j.Key != "" && (err == nil || isPermanent(err)) {
		// The next job of the same key waited for this one to go: it may run now,
		// not at the next poll (a busy queue's moves are told one by one).
		w.Wake()
	}
}

type permanent struct{ error }

func (permanent) Permanent() bool { return true }

func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

func retryAfter(err error) (time.Duration, bool) {
	var r interface{ RetryAfter() time.Duration }
	if errors.As(err, &r) {
		return r.RetryAfter(), true
	}
	return 0, false
}
