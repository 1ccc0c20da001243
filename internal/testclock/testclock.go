// Package testclock is a clock that tests move by hand, so that a 30-minute
// expiry is tested in milliseconds.
package testclock

import (
	"sync"
	"time"

	"switchboard"
)

// Clock is a switchboard.Clock whose time only moves when told.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

var _ switchboard.Clock = (*Clock)(nil)

// New returns a clock stopped at start.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
