// Package desk is the built-in agent desk: a livechat platform served by
// switchboard itself, so that a handoff works on a fresh machine with no outside
// account. Its tickets are the sessions in switchboard's own store, so its
// provider has nothing to send anywhere: opening makes the session active at
// once (it then waits for an agent to claim it) and relays only wake the desk
// pages, which read the store.
package desk

import (
	"context"

	"switchboard"
	"switchboard/livechat"
)

// Provider is the livechat driver of the desk.
type Provider struct {
	notifier switchboard.Notifier
}

var _ livechat.Provider = (*Provider)(nil)

// NewProvider returns the desk driver; notifier wakes the desk pages.
func NewProvider(n switchboard.Notifier) *Provider { return &Provider{notifier: n} }

// Open accepts the session at once: its ticket is the session itself.
func (p *Provider) Open(_ context.Context, r livechat.OpenRequest) (string, error) {
	return r.Session.ID, nil
}

// Send has nothing to transmit (the message is in the store) and wakes the desk.
func (p *Provider) Send(context.Context, livechat.SendRequest) error {
	p.notifier.Notify(switchboard.TopicDesk)
	return nil
}

// End wakes the desk, which shows the session as ended with its reason.
func (p *Provider) End(context.Context, livechat.EndRequest) error {
	p.notifier.Notify(switchboard.TopicDesk)
	return nil
}

// Note wakes the desk; the desk shows a session's state, not notes.
func (p *Provider) Note(context.Context, livechat.NoteRequest) error {
	p.notifier.Notify(switchboard.TopicDesk)
	return nil
}
