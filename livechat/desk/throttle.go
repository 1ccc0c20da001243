package desk

import (
	"sync"
	"time"

	"switchboard"
)

// Sign-in throttling: after throttleLimit failures for one email or from one
// address within throttleWindow, sign-ins for it are refused until the oldest
// of those failures leaves the window. Failures are kept in memory: a restart
// forgets them, which only gives a guesser a few more tries.
const (
	throttleLimit   = 10
	throttleWindow  = 5 * time.Minute
	maxThrottleKeys = 100_000
)

// throttle counts recent failed sign-ins per key ("email:…", "ip:…").
type throttle struct {
	clock switchboard.Clock
	mu    sync.Mutex
	fails map[string][]time.Time // the last throttleLimit failures, oldest first
}

func newThrottle(clock switchboard.Clock) *throttle {
	return &throttle{clock: clock, fails: make(map[string][]time.Time)}
}

// blockedUntil reports whether any key is blocked, and until when.
func (t *throttle) blockedUntil(keys ...string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	var until time.Time
	for _, k := range keys {
		f := t.recent(k, now)
		if len(f) >= throttleLimit {
			if end := f[0].Add(throttleWindow); end.After(until) {
				until = end
			}
		}
	}
	return until, !until.IsZero()
}

// fail records a failed sign-in for every key.
func (t *throttle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	if len(t.fails) >= maxThrottleKeys {
		t.sweep(now)
	}
	for _, k := range keys {
		f := append(t.recent(k, now), now)
		if len(f) > throttleLimit {
			f = f[len(f)-throttleLimit:]
		}
		t.fails[k] = f
	}
}

// forget clears a key after a successful sign-in.
func (t *throttle) forget(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}

// recent returns the key's failures still inside the window, dropping the key
// when none is.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	f := t.fails[key]
	i := 0
	for i < len(f) && !f[i].After(now.Add(-throttleWindow)) {
		i++
	}
	if i == len(f) {
		delete(t.fails, key)
		return nil
	}
	return f[i:]
}

// sweep drops expired keys, and arbitrary ones if the map is still full, so a
// flood of made-up emails cannot exhaust memory.
func (t *throttle) sweep(now time.Time) {
	for k := range t.fails {
		t.recent(k, now)
	}
	for k := range t.fails {
		if len(t.fails) < maxThrottleKeys/2 {
			break
		}
		delete(t.fails, k)
	}
}
