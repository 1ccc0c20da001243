// Package eventually waits in tests for a condition that other goroutines
// (workers, servers) make true, polling it instead of sleeping a fixed time.
package eventually

import (
	"testing"
	"time"
)

// True polls cond every few milliseconds until it holds, and fails the test
// after timeout saying what it waited for.
func True(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
