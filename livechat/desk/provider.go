// Package desk is the built-in agent desk: a livechat platform served by
// switchboard itself, so that a handoff works on a fresh machine with no outside
// account. Its tickets are the sessions in switchboard's own store, so its
// provider has nothing to send anywhere: opening makes the session active at
// once (it then waits for an agent to claim it); the engine queues no job to
// deliver a message, an end or a note to it (it is livechat.InStore), and the
// desk pages learn of a session's changes from the engine, which notifies the
// session's desk topic when it commits them.
package desk

import (
	"context"

	"switchboard/livechat"
)

// Provider is the livechat driver of the desk.
type Provider struct{}

var _ livechat.InStore = Provider{}

// NewProvider returns the desk driver.
func NewProvider() Provider { return Provider{} }

// Open accepts the session at once: its ticket is the session itself.
func (Provider) Open(_ context.Context, r livechat.OpenRequest) (string, error) {
	return r.Session.ID, nil
}

// InStore marks the desk as a platform that reads switchboard's store.
func (Provider) InStore() {}

// Send, End and Note are not called for a platform that reads the store; they
// would have nothing to do: the desk shows messages and a session's state
// from the store, and no notes.
func (Provider) Send(context.Context, livechat.SendRequest) error { return nil }

// End: see Send.
func (Provider) End(context.Context, livechat.EndRequest) error { return nil }

// Note: see Send.
func (Provider) Note(context.Context, livechat.NoteRequest) error { return nil }
