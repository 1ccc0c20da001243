package main

import (
	"context"
	"time"
)

// startProgress prints a line every 10 seconds, and samples where the CPU
// goes every 2 until stop; the returned function stops it.
func (r *run) startProgress(ctx context.Context, cl *cluster, stop time.Time) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	r.rep.CPU.sample(cl.pids())
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if time.Now().Before(stop.Add(2 * time.Second)) {
				r.rep.CPU.sample(cl.pids())
			}
			if n%5 == 0 {
				s := r.ledger.stats()
				r.say("t+%s: %d users in their script, %d sessions open, %d user and %d agent messages sent, %d not arrived yet",
					time.Since(r.rep.Start).Round(time.Second), r.running.Load(), s.open, s.sent, s.agent, s.inFlight)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
