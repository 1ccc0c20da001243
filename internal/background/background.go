// Package background runs a test's long-lived service (a server's Serve)
// until the test ends, as Ctrl+C would stop it.
package background

import (
	"context"
	"testing"
)

// Run calls serve in a goroutine with a context that is cancelled when t
// ends; the cleanup waits for serve to return and fails t if it returned an
// error.
func Run(t testing.TB, serve func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
}
