package main

import (
	"context"
	"fmt"
	"time"
)

// settleLimit bounds how long a client tries again: long enough for an
// instance to be killed and started again, or for the balancer to find
// another.
const settleLimit = 2 * time.Minute

// retry calls f until it succeeds or says not to try again (again false),
// backing off from 100 ms to 2 s, for settleLimit at most. Each failure
// tried again is counted under kind, with its error as a sample.
func retry(ctx context.Context, l *ledger, kind string, f func() (again bool, err error)) error {
	deadline := time.Now().Add(settleLimit)
	wait := 100 * time.Millisecond
	for {
		again, err := f()
		if err == nil {
			return nil
		}
		if !again || time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		l.error(kind, err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", kind, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}
