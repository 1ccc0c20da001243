package engine

import (
	"context"
	"fmt"

	"switchboard"
)

// CloseConversations closes the client's open bot conversation, as the Chat
// API's conversations/close does: the next event starts over in the default
// flow (or the flow it triggers). It reports whether a conversation was open.
// A live livechat session is not ended; an administrator ends it with Close.
func (e *Engine) CloseConversations(ctx context.Context, key switchboard.ClientKey) (bool, error) {
	if err := validKey(key); err != nil {
		return false, err
	}
	closed := false
	err := e.update(ctx, key, nil, func(t *turn) error {
		c, err := t.tx.FindOpenConversation(t.ctx, key)
		if err != nil || c == nil {
			return err
		}
		if err := t.tx.CloseConversations(t.ctx, key, t.now); err != nil {
			return fmt.Errorf("close conversations: %w", err)
		}
		closed = true
		return nil
	})
	return closed, err
}

// UpdateClient runs fn in one transaction as the only processor of a
// client, as a turn is: the CSML engine server API writes memories through
// it, so that a turn running at the same time does not overwrite them.
func (e *Engine) UpdateClient(ctx context.Context, key switchboard.ClientKey, fn func(tx switchboard.Tx) error) error {
	if err := validKey(key); err != nil {
		return err
	}
	return e.update(ctx, key, nil, func(t *turn) error { return fn(t.tx) })
}
