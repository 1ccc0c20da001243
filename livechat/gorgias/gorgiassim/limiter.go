package gorgiassim

import (
	"math"
	"sync"
	"time"
)

// bucket is Gorgias's per-account rate limit, a leaky bucket: each request
// pours one unit in, the bucket drains capacity units per window, and a
// request that would overflow it is refused with 429 and the time until it
// would fit.
type bucket struct {
	mu    sync.Mutex
	cap   int // < 0: no limit
	rate  float64
	level float64
	last  time.Time
}

func newBucket(capacity int, window time.Duration) *bucket {
	return &bucket{cap: capacity, rate: float64(capacity) / window.Seconds()}
}

func (b *bucket) capacity() int { return max(b.cap, 0) }

// take pours one request in at now. It returns the level after it (rounded
// up, as the X-Gorgias-Account-Api-Call-Limit header shows it), how long
// until one more request fits, and whether this one was let through.
func (b *bucket) take(now time.Time) (level int, wait time.Duration, ok bool) {
	if b.cap < 0 {
		return 0, 0, true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() && now.After(b.last) {
		b.level = math.Max(0, b.level-now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
	ok = b.level+1 <= float64(b.cap)+1e-9
	if ok {
		b.level++
	}
	if over := b.level + 1 - float64(b.cap); over > 0 {
		wait = time.Duration(over / b.rate * float64(time.Second))
	}
	return int(math.Ceil(b.level - 1e-9)), wait, ok
}
