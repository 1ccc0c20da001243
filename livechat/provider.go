package livechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"switchboard"
)

// Provider is a livechat platform driver. Each call is one attempt; the
// outbox retries, orders and records results. A driver returns an error made
// with Permanent when retrying cannot help (bad credentials, a rejected
// request) and RetryAfter when the platform said when to come back.
type Provider interface {
	// Open creates the ticket (or conversation) of a new session and returns the
	// platform's id for it. It must be safe to call again for the same session
	// after a crash: find the ticket by the session id before creating one.
	Open(ctx context.Context, r OpenRequest) (externalID string, err error)
	// Send relays one user message to the session's ticket.
	Send(ctx context.Context, r SendRequest) error
	// End tells the platform that the session is over: a note, and the ticket
	// closed when Close is set.
	End(ctx context.Context, r EndRequest) error
	// Note posts an internal note on the ticket (for example "this conversation
	// is over" when an agent writes after the end).
	Note(ctx context.Context, r NoteRequest) error
}

// InStore is implemented by the providers whose agents work from
// switchboard's own store (the built-in desk): a user message, an end or a
// note is there for them once committed, so the engine queues no job to
// deliver it. Opening the ticket still goes through the outbox.
type InStore interface {
	Provider
	InStore()
}

// OpenRequest carries what the agent should see when the session starts.
type OpenRequest struct {
	Session switchboard.Session
	// Attempt counts the earlier attempts of this request: on a retry, an
	// earlier attempt may have succeeded before switchboard stopped.
	Attempt  int
	BotName  string
	Channel  switchboard.ChannelType
	Metadata json.RawMessage
	// Transcript is the recent bot conversation, oldest first.
	Transcript []switchboard.Message
	Settings   Resolved
}

// SendRequest is one user message for the platform.
type SendRequest struct {
	Session switchboard.Session
	// Attempt counts the earlier attempts (see OpenRequest).
	Attempt int
	Message switchboard.Message
	// Text is the message as text: typed text, a button's title, or a link to
	// an attachment.
	Text string
	// Attachment is set for files, images, audio and video.
	Attachment *Attachment
	// File is the bytes of Attachment when switchboard keeps it (the
	// user's upload), so that the drivers of platforms that take files only
	// as uploads (Chatwoot) can send them; nil for a file elsewhere.
	File     []byte
	Settings Resolved
}

// Attachment is a file sent by the user or an agent.
type Attachment struct {
	URL         string `json:"url"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty"`
}

// EndRequest tells the platform why the session ended.
type EndRequest struct {
	Session switchboard.Session
	// Attempt counts the earlier attempts (see OpenRequest).
	Attempt  int
	Settings Resolved
	Note     string
	Close    bool
}

// NoteRequest is an internal note for agents.
type NoteRequest struct {
	Session switchboard.Session
	// Attempt counts the earlier attempts (see OpenRequest).
	Attempt int
	// Ref is the same on every attempt of one note and differs between notes
	// (the outbox job's id), so that a retry can find the note an earlier
	// attempt posted even when two notes say the same thing.
	Ref      string
	Settings Resolved
	Text     string
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent tells the outbox not to retry (it looks for this method).
func (e *permanentError) Permanent() bool { return true }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfterError carries the delay a platform asked for (HTTP 429 Retry-After).
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.err, e.after)
}
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter tells the outbox when to try again (it looks for this method).
func (e *retryAfterError) RetryAfter() time.Duration { return e.after }

// RetryAfter marks err as transient with the delay the platform asked for.
func RetryAfter(err error, after time.Duration) error {
	return &retryAfterError{err: err, after: after}
}

// RetryDelay returns the delay carried by RetryAfter, if any.
func RetryDelay(err error) (time.Duration, bool) {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after, true
	}
	return 0, false
}
