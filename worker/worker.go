// Package worker is the lifecycle and poll loop shared by the background
// workers (outbox, timers): Start runs a loop that does a round of work, then
// sleeps until the next due time, a wake-up hint or the poll interval, whichever
// comes first; Stop ends the loop and waits for work in flight.
package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"switchboard"
)

// Round does one round of work and returns how long to wait before the next
// round (zero or less: at once).
type Round func(ctx context.Context) time.Duration

// Loop runs rounds until stopped.
type Loop struct {
	round  Round
	wake   <-chan struct{}
	kick   chan struct{} // Wake's hint
	unsub  func()
	poll   time.Duration
	cancel context.CancelFunc
	done   chan struct{}
	// inflight counts work started by rounds that Stop must wait for.
	inflight sync.WaitGroup
}

// NewLoop prepares a loop; a hint on topic (when sub is not nil) cuts a sleep
// short, and poll bounds it.
func NewLoop(round Round, sub switchboard.Subscriber, topic string, poll time.Duration) *Loop {
	if poll <= 0 {
		poll = time.Second
	}
	l := &Loop{round: round, poll: poll, kick: make(chan struct{}, 1)}
	if sub != nil {
		l.wake, l.unsub = sub.Subscribe(topic)
	}
	return l
}

// Start runs the loop in a goroutine until ctx ends or Stop is called.
func (l *Loop) Start(ctx context.Context) {
	ctx, l.cancel = context.WithCancel(ctx)
	l.done = make(chan struct{})
	go func() {
		defer close(l.done)
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			case <-l.wake:
				if !timer.Stop() {
					select {
					case <-timer.C:
					default:
					}
				}
			case <-l.kick:
				if !timer.Stop() {
					select {
					case <-timer.C:
					default:
					}
				}
			}
			wait := l.round(ctx)
			if ctx.Err() != nil {
				return
			}
			if wait > l.poll {
				wait = l.poll
			}
			if wait < 0 {
				wait = 0
			}
			timer.Reset(wait)
		}
	}()
}

// Wake cuts the loop's sleep short, as a hint on its topic does, without
// blocking: for work that knows the next round has something to do.
func (l *Loop) Wake() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Go runs f as work in flight that Stop waits for. f gets a context that is not
// cancelled by Stop, so started work finishes instead of being cut in half.
func (l *Loop) Go(f func()) {
	l.inflight.Add(1)
	go func() {
		defer l.inflight.Done()
		f()
	}()
}

// Stop ends the loop and waits for work in flight, or until ctx ends.
func (l *Loop) Stop(ctx context.Context) error {
	if l.unsub != nil {
		l.unsub()
	}
	if l.cancel == nil {
		return nil
	}
	l.cancel()
	<-l.done
	finished := make(chan struct{})
	go func() {
		l.inflight.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return errors.New("worker: stopped before work in flight finished")
	}
}

// UntilNext reads when the next row is due and returns how long to wait for
// it, or poll when nothing is due or the read fails.
func UntilNext(ctx context.Context, store switchboard.Store, clock switchboard.Clock, poll time.Duration,
	next func(switchboard.Tx, context.Context) (*time.Time, error)) time.Duration {
	var at *time.Time
	err := store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		at, err = next(tx, ctx)
		return err
	})
	if err != nil || at == nil {
		return poll
	}
	return at.Sub(clock.Now())
}

// Safely runs f, turning a panic into an error, so that one bad job or timer
// cannot take the server down.
func Safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// Backoff returns the delay before attempt n (1-based): 1s doubling up to max,
// with up to 20% of jitter taken from the spread function (a value in [0,1)).
func Backoff(attempt int, max time.Duration, spread func() float64) time.Duration {
	d := time.Second
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	if spread != nil {
		d += time.Duration(float64(d) * 0.2 * spread())
	}
	return d
}
