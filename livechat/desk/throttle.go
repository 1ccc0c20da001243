package desk

import (
	"sync"
	"time"

	"switchboard"
)

// Sign-in throttling: after throttleLimit failures for one email or from one
// address within throttleWindow, sign-ins for it are refused until the oldest
// of those failures leaves the window. An attempt counts as a failure from
// the moment it is admitted, before its password is checked, and is taken
// back when the password was right: so parallel attempts cannot all pass the
// check while the first ones are still hashing. Failures are kept in memory,
// per instance: a restart forgets them, which only gives a guesser a few more
// tries.
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

// attempt admits a sign-in attempt and counts it as a failure of every key,
// or, when any key is blocked, counts nothing and reports until when. The
// check and the count are one step, so at most throttleLimit attempts per
// key are admitted within the window however many arrive at once.
func (t *throttle) attempt(keys ...string) (until time.Time, blocked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	for _, k := range keys {
		if f := t.recent(k, now); len(f) >= throttleLimit {
			if end := f[0].Add(throttleWindow); end.After(until) {
				until = end
			}
		}
	}
	if !until.IsZero() {
		return until, true
	}
	if len(t.fails) >= maxThrottleKeys {
		t.sweep(now)
	}
	for _, k := range keys {
		t.fails[k] = append(t.recent(k, now), now)
	}
	return time.Time{}, false
}

// release takes back one admitted attempt of a key: it was no wrong password.
func (t *throttle) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if f := t.fails[key]; len(f) > 1 {
		t.fails[key] = f[:len(f)-1]
	} else {
		delete(t.fails, key)
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
