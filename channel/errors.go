package channel

import (
	"errors"
	"fmt"
	"time"
)

// permanentError marks an error that retrying cannot fix; the outbox looks
// for its Permanent method and gives the job up.
type permanentError struct{ err error }

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() error   { return e.err }
func (e *permanentError) Permanent() bool { return true }

// Permanent marks err as not worth retrying (a request the platform
// refuses, credentials it rejects).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked as not worth retrying, with
// Permanent or any error that says so as the outbox reads it (a Permanent
// method: the drivers' kit marks its errors so).
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// retryAfterError is a transient error with the delay the platform asked
// for, or the driver chose (a rate limit without a header).
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.err, e.after)
}
func (e *retryAfterError) Unwrap() error             { return e.err }
func (e *retryAfterError) RetryAfter() time.Duration { return e.after }

// RetryAfter marks err as a rate limit to retry after the delay; the
// outbox looks for its RetryAfter method.
func RetryAfter(err error, after time.Duration) error {
	return &retryAfterError{err: err, after: after}
}

// windowError is a send refused because the user's conversation window
// closed: only a template may reach them until they write again.
type windowError struct{ err error }

func (e *windowError) Error() string { return e.err.Error() }
func (e *windowError) Unwrap() error { return e.err }

// WindowClosed marks err as a send refused because the user's window
// closed (WhatsApp's error 131047); the layer tells the agents and, when
// the channel has a template, invites the user back.
func WindowClosed(err error) error { return &windowError{err: err} }

// IsWindowClosed reports whether err was marked with WindowClosed.
func IsWindowClosed(err error) bool {
	var w *windowError
	return errors.As(err, &w)
}
