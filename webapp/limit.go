package webapp

import (
	"time"

	"switchboard"
)

// bucket is a token bucket: up to burst frames at once, refilled at rate per
// second. One connection's reader owns it, so it needs no lock.
type bucket struct {
	clock  switchboard.Clock
	burst  float64
	rate   float64
	tokens float64
	last   time.Time
}

func newBucket(clock switchboard.Clock, burst, rate float64) *bucket {
	return &bucket{clock: clock, burst: burst, rate: rate, tokens: burst, last: clock.Now()}
}

// allow takes a token if one is left.
func (b *bucket) allow() bool {
	now := b.clock.Now()
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
