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
	if err := key.Check(); err != nil {
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
