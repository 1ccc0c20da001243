package httpapi

import (
	"sync"
	"time"

	"switchboard"
)

// DefaultRate is CSML Studio's documented throttle: each API channel (a key
// and its secret) may send up to 50 requests a second; over it, the request
// is refused and not treated.
const DefaultRate = 50

// throttle counts each channel's requests in the current second of the
// clock. A fixed one-second window is Studio's rule as documented ("50
// reqs/sec"); it is kept per process, so N instances admit up to N times the
// rate.
type throttle struct {
	clock switchboard.Clock
	rate  int // requests per second; 0 or less: no limit
	mu    sync.Mutex
	sec   int64          // the unix second being counted
	n     map[string]int // requests per channel id in that second
}

// allow counts a request of a channel and reports whether it is within the
// rate, and if not how long until the next second.
func (t *throttle) allow(channelID string) (bool, time.Duration) {
	if t.rate <= 0 {
		return true, 0
	}
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := now.Unix(); s != t.sec || t.n == nil {
		t.sec, t.n = s, make(map[string]int)
	}
	if t.n[channelID] >= t.rate {
		return false, time.Unix(t.sec+1, 0).Sub(now)
	}
	t.n[channelID]++
	return true, 0
}
