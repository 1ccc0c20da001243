package switchboard

import "time"

// Clock tells the time. Every service takes one, so tests can move time forward
// and a 30-minute expiry runs in milliseconds.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
