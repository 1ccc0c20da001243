package channel

import (
	"errors"
	"time"

	"switchboard/livechat"
)

// The outbox reads two marks on a job's error: a Permanent method (give
// the job up) and a RetryAfter method (the delay a platform asked for).
// Package livechat defines them for the platform drivers; the channels
// mark their errors with the same ones.

// Permanent marks err as not worth retrying (a request the platform
// refuses, credentials it rejects).
func Permanent(err error) error { return livechat.Permanent(err) }

// IsPermanent reports whether err was marked as not worth retrying, with
// Permanent or any error that says so as the outbox reads it (the drivers'
// kit marks its errors so).
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// RetryAfter marks err as a rate limit to retry after the delay.
func RetryAfter(err error, after time.Duration) error { return livechat.RetryAfter(err, after) }

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
