package main

import (
	"context"
	"time"
)

// drain waits, after the users finished, for the work in flight: every
// user message on its platform and every agent message at its user, and no
// earlier than a lease after a kill (a job or timer the killed instance
// held runs then, and anything it would repeat must be seen), until
// nothing arrived for 3 seconds; or, when messages are missing, until
// nothing arrived for lostAfter; at most the drain limit after the load.
func (r *run) drain(ctx context.Context, stop time.Time) {
	horizon := time.Now()
	if !r.rep.Killed.IsZero() {
		horizon = later(horizon, r.rep.Killed.Add(lease+15*time.Second))
	}
	for _, to := range []time.Time{r.rep.OutageTo, r.rep.ChannelOutageTo} {
		if !to.IsZero() {
			horizon = later(horizon, to.Add(15*time.Second))
		}
	}
	limit := stop.Add(r.cfg.drainLimit())
	for {
		pending := r.ledger.inFlight()
		now := time.Now()
		quiet := now.Sub(r.ledger.quietSince())
		if !now.Before(horizon) && (pending == 0 && quiet > 3*time.Second || quiet > lostAfter) {
			if pending > 0 {
				r.say("nothing arrived for %s: %d messages are lost", lostAfter, pending)
			}
			return
		}
		if now.After(limit) || ctx.Err() != nil {
			r.say("drain limit reached with %d messages on their way", pending)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// lostAfter is how long nothing arrives before the drain takes what is
// missing for lost: longer than the Chatwoot poll (30 s) and than an outbox
// retry's backoff after an outage of a minute.
const lostAfter = 75 * time.Second

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
