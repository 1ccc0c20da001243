package desk

import "time"

// SetListWindow makes the event streams opened from now on fold list changes
// into windows of d, so tests need not wait a second per window; the
// returned function restores the window.
func SetListWindow(d time.Duration) (restore func()) {
	old := listWindow
	listWindow = d
	return func() { listWindow = old }
}

// ListDelay is how long after a quiet spell a stream's first "changed"
// follows the change.
var ListDelay = listDelay
