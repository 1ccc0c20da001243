package driverkit

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"switchboard"
	"switchboard/livechat"
)

// The references switchboard sets on the notes it posts (a ticket's
// external_id, a message's source_id): a retry looks for the reference an
// earlier attempt posted instead of posting twice, and the prefix marks
// them as switchboard's when they come back through a webhook.
const (
	RefPrefix = "switchboard:"
	RefEnd    = RefPrefix + "end:"
	RefNote   = RefPrefix + "note:"
)

// OrphanNote is what the agent is told, once, on a conversation switchboard
// gave up opening (an attempt made it but its answer was lost, and the open
// timeout passed): the user went back to the bot.
const OrphanNote = "This conversation is over: switchboard could not open it in time and the user went back to the bot. Messages here are not delivered."

// OrphanRef is the reference of the OrphanNote of a session.
func OrphanRef(sessionID string) string { return RefNote + sessionID + ":orphan" }

// NoteRef is the reference of a note: the one the engine gave, else one
// made from the text, so that each attempt of the same note has the same.
func NoteRef(r livechat.NoteRequest) string {
	ref := r.Ref
	if ref == "" {
		sum := sha256.Sum256([]byte(r.Text))
		ref = hex.EncodeToString(sum[:8])
	}
	return RefNote + r.Session.ID + ":" + ref
}

// Thread is a session's conversation on a platform (a ticket, a
// conversation) as End and Note drive it.
type Thread interface {
	// PostNote posts a note agents see and the user does not, with ref as
	// its reference; with retry it first looks for the note of that ref an
	// earlier attempt posted. op names the call in errors.
	PostNote(ctx context.Context, text, ref, op string, retry bool) error
	// Close closes the conversation; closing a closed one changes nothing.
	Close(ctx context.Context) error
}

// Opener finds a session's thread from its bot's settings; what it cannot
// read (no settings, no thread id) is a permanent error.
type Opener[T Thread] func(livechat.Resolved, switchboard.Session) (T, error)

// OpenOn makes the Opener of a driver whose threads are an account (read
// from the bot's settings) and an id (read from the session), put together
// by thread. What cannot be read is the error of the first that failed.
func OpenOn[A any, T Thread](account func(livechat.Resolved) (A, error), id func(switchboard.Session) (int64, error), thread func(A, int64) T) Opener[T] {
	return func(set livechat.Resolved, s switchboard.Session) (T, error) {
		a, accountErr := account(set)
		n, idErr := id(s)
		return thread(a, n), cmp.Or(accountErr, idErr)
	}
}

// Threads gives a driver the End and Note of livechat.Provider (embed it
// in the driver's client) from its Opener.
type Threads[T Thread] struct{ Open Opener[T] }

// End posts the end note once and closes the thread when asked (see End).
func (ts Threads[T]) End(ctx context.Context, r livechat.EndRequest) error {
	return End(ctx, ts.Open, r)
}

// Note posts the note once (see Note).
func (ts Threads[T]) Note(ctx context.Context, r livechat.NoteRequest) error {
	return Note(ctx, ts.Open, r)
}

// End is a driver's livechat.Provider End: the end note, posted once, then
// the conversation closed when asked (only the note needs a look-up on a
// retry).
func End[T Thread](ctx context.Context, open Opener[T], r livechat.EndRequest) error {
	t, err := open(r.Settings, r.Session)
	if err != nil {
		return err
	}
	if r.Note != "" {
		if err := t.PostNote(ctx, r.Note, RefEnd+r.Session.ID, "post end note", r.Attempt > 0); err != nil {
			return err
		}
	}
	if !r.Close {
		return nil
	}
	return t.Close(ctx)
}

// Note is a driver's livechat.Provider Note: the note posted once.
func Note[T Thread](ctx context.Context, open Opener[T], r livechat.NoteRequest) error {
	t, err := open(r.Settings, r.Session)
	if err != nil {
		return err
	}
	return t.PostNote(ctx, r.Text, NoteRef(r), "post note", r.Attempt > 0)
}
