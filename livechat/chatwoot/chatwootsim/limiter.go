package chatwootsim

import (
	"sync"
	"time"
)

// limiter is Chatwoot's Rack::Attack throttle: at most n requests per
// client address per minute (a fixed window), none when n is 0.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Time
	counts map[string]int
}

func newLimiter(n int) *limiter { return &limiter{n: n, counts: map[string]int{}} }

// allow counts a request of ip at now and reports whether it may pass.
func (l *limiter) allow(ip string, now time.Time) bool {
	if l.n <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := now.Truncate(time.Minute); !w.Equal(l.window) {
		l.window, l.counts = w, map[string]int{}
	}
	l.counts[ip]++
	return l.counts[ip] <= l.n
}
