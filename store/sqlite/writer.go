package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
)

// Group commit. SQLite runs one write transaction at a time, and its commit
// (writing the changed pages to the WAL) is a large part of a short
// transaction's cost. So when Updates queue up for the write connection, they
// share one SQLite transaction: each runs in turn inside a savepoint of it
// (rolled back alone when its fn fails), and the last of the batch commits
// for all. Every Update still returns only once its writes are committed, and
// still sees the writes of the Updates before it, exactly as if it had run
// after them; a batch that fails to commit fails each of its Updates. An
// Update that runs alone uses no savepoint and commits at once.

// A batch stops taking Updates at maxBatch of them or when it is maxBatchAge
// old, which bounds the wait it adds to the first of them.
const (
	maxBatch    = 32
	maxBatchAge = 2 * time.Millisecond
)

// Below saturation, few Updates wait while a commit runs, and each commit
// (its WAL writes and fsync, and the page caches it makes every reader drop)
// is shared by one or two: a turn costs twice the CPU it costs at
// saturation. So when Updates come often (the last commit ended under
// busyGap ago) and none waits, a batch lingers, open, up to lingerDelay
// after it began for those about to come; a timer commits it then. A lone
// Update on a quiet server commits at once.
const (
	busyGap     = 2 * time.Millisecond
	lingerDelay = 500 * time.Microsecond
)

// writer is the write connection and the transaction open on it.
type writer struct {
	mu      sync.Mutex   // held by the goroutine using the connection
	waiting atomic.Int32 // goroutines waiting for mu in Update
	c       *conn
	kick    chan struct{} // told after each commit (the checkpointer)
	batch   *batch        // the transaction in progress, if any
	closed  bool          // the store is closed
	cache   *stateCache   // told of the rows each commit changed
	changes *changes      // the rows changed since the last commit

	commits, committed atomic.Int64  // SQLite commits, and the Updates in them
	lastCommit         time.Time     // when the last commit ended, guarded by mu
	lingerFor          time.Duration // lingerDelay (tests lengthen it)
}

// batch is one SQLite transaction shared by several Updates.
type batch struct {
	done    chan struct{} // closed when the transaction has ended
	err     error         // why it did not commit, set before done is closed
	members int           // Updates whose writes it holds
	started time.Time
	linger  *time.Timer // commits the batch left open for Updates to come
}

// Update runs fn in a write transaction; see switchboard.Store. Updates run
// one at a time, so fn should be quick (no network calls) and must not call
// Update itself; it may call View. If ctx is cancelled before fn returns,
// Update rolls fn's writes back and fails; once fn has returned, its writes
// are committed. A panic in fn rolls fn's writes back and goes on up to
// Update's caller.
func (db *DB) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	joined, err := db.w.run(ctx, fn)
	if joined != nil {
		<-joined.done
		return joined.err
	}
	return err
}

// run runs fn in the open transaction or a new one, then leaves the
// transaction open for the next waiting Update or commits it. It returns the
// batch holding fn's writes, or nil and why there are none.
func (w *writer) run(ctx context.Context, fn func(switchboard.Tx) error) (*batch, error) {
	w.waiting.Add(1)
	w.mu.Lock()
	w.waiting.Add(-1)
	defer func() { // deferred, to run also when fn panics
		b := w.batch
		switch {
		case b == nil:
		case b.members >= maxBatch || time.Since(b.started) >= maxBatchAge:
			w.commit()
		case w.waiting.Load() > 0:
			// Someone is waiting: the transaction stays open for them.
			// Whoever holds mu last commits; a waiter always gets mu,
			// since it cannot give up waiting.
		case !w.lingers(b):
			w.commit()
		}
		w.mu.Unlock()
	}()
	return w.step(ctx, fn)
}

// lingers reports whether b stays open for the Updates about to come, with
// a timer to commit it lingerDelay after it began; mu is held.
func (w *writer) lingers(b *batch) bool {
	if b.linger != nil {
		return true // its timer runs
	}
	wait := w.lingerFor - time.Since(b.started)
	if wait <= 0 || time.Since(w.lastCommit) >= busyGap {
		return false
	}
	b.linger = time.AfterFunc(wait, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.batch == b {
			w.commit()
		}
	})
	return true
}

// step runs fn in the open transaction, beginning one if needed. It returns
// the batch holding fn's writes, or nil and why there are none.
func (w *writer) step(ctx context.Context, fn func(switchboard.Tx) error) (*batch, error) {
	if w.closed {
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := newTx(w.c)
	t.changes = w.changes
	b := w.batch
	first := b == nil
	if first {
		if w.c.broken {
			if err := w.renew(); err != nil {
				return nil, fmt.Errorf("begin: %w", err)
			}
		}
		if _, err := w.c.exec(stmtBeginImmediate); err != nil {
			return nil, fmt.Errorf("begin: %w", err)
		}
		b = &batch{done: make(chan struct{}), started: time.Now()}
		w.batch = b
	} else if _, err := w.c.exec(stmtSavepoint); err != nil {
		w.abort(err)
		return nil, fmt.Errorf("begin: %w", err)
	}

	returned := false
	defer func() {
		t.ended = true
		if !returned { // fn panicked (or ended its goroutine): undo, and let the panic go on
			w.undo(first)
		}
	}()
	err := fn(t)
	returned = true
	if err == nil {
		err = ctx.Err()
	}
	switch {
	case t.lost != nil:
		w.abort(t.lost)
		if err == nil {
			err = t.lost
		}
		return nil, err
	case err == nil:
		if !first {
			if _, err := w.c.exec(stmtRelease); err != nil {
				w.abort(err)
				return nil, fmt.Errorf("commit: %w", err)
			}
		}
		b.members++
		return b, nil
	}
	w.undo(first)
	return nil, err
}

// undo rolls back the writes of the Update that just ran: the whole
// transaction if it began it (nothing else is in it), else its savepoint.
func (w *writer) undo(first bool) {
	if first {
		w.abort(nil)
		return
	}
	w.changes.unpatched = true
	if _, err := w.c.exec(stmtRollbackTo); err != nil {
		w.abort(err)
	} else if _, err := w.c.exec(stmtRelease); err != nil {
		w.abort(err)
	}
}

// commit commits the open transaction, if any, and tells its Updates.
func (w *writer) commit() {
	b := w.batch
	if b == nil {
		return
	}
	w.batch = nil
	if b.linger != nil {
		b.linger.Stop()
	}
	w.commits.Add(1)
	w.committed.Add(int64(b.members))
	if _, err := w.c.exec(stmtCommit); err != nil {
		w.c.rollback()
		b.err = fmt.Errorf("commit: %w", err)
	}
	w.publish() // before any Update of the batch returns
	w.lastCommit = time.Now()
	close(b.done)
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// abort rolls the open transaction back; its Updates fail with err.
func (w *writer) abort(err error) {
	b := w.batch
	if b == nil {
		return
	}
	w.batch = nil
	if b.linger != nil {
		b.linger.Stop()
	}
	w.c.rollback()
	w.changes.drop()
	if err == nil {
		err = errors.New("rolled back")
	}
	b.err = fmt.Errorf("transaction rolled back: %w", err)
	close(b.done)
}

// hold takes the write connection for something other than an Update (a
// migration), committing the transaction left open for a waiter, if any.
func (w *writer) hold() (*conn, error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil, errClosed
	}
	w.commit()
	if w.c.broken {
		if err := w.renew(); err != nil {
			w.mu.Unlock()
			return nil, err
		}
	}
	return w.c, nil
}

// unhold gives the write connection back, and the cache the rows changed
// while it was held.
func (w *writer) unhold() {
	w.publish()
	w.mu.Unlock()
}

// publish tells the cache of the rows changed since the last time: they
// are committed, or rolled back, which makes forgetting them needless but
// harmless.
func (w *writer) publish() {
	ch := w.changes
	switch {
	case ch.all:
		w.cache.reset()
	case len(ch.keys) > 0:
		w.cache.changed(ch)
	}
	ch.drop()
}

// renew replaces the write connection, which a failed rollback left in an
// unknown state; the cache forgets everything, as the state of the last
// transaction is unknown.
func (w *writer) renew() error {
	w.cache.reset()
	w.changes.drop()
	return w.c.renew()
}

// close waits for the transaction in progress, commits what was left open for
// a waiter, and makes later Updates fail.
func (w *writer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.c != nil {
		w.commit()
	}
	w.closed = true
}
