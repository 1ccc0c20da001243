package sqlite

import (
	"context"
	"fmt"
	"time"

	"switchboard"
)

const conversationColumns = `id, bot_id, channel_id, user_id, flow_id, step_id, status, hold,
	interaction_order, last_interaction_at, created_at, updated_at`

// FindOpenConversation returns the client's open conversation (the newest, if
// a bug ever left two), or nil.
func (t *tx) FindOpenConversation(ctx context.Context, key switchboard.ClientKey) (*switchboard.Conversation, error) {
	c, err := queryOne(ctx, t, scanConversation, `SELECT `+conversationColumns+` FROM conversations
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND status = 'OPEN'
		ORDER BY created_at DESC LIMIT 1`, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("find open conversation: %w", err)
	}
	return c, nil
}

// PutConversation creates or replaces a conversation by id. The client and
// creation time of a conversation never change, so an update leaves them (and
// the index built on them) alone: saving after a turn rewrites one row only.
func (t *tx) PutConversation(ctx context.Context, c *switchboard.Conversation) error {
	_, err := t.exec(ctx, `INSERT INTO conversations (`+conversationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET flow_id = excluded.flow_id, step_id = excluded.step_id,
			status = excluded.status, hold = excluded.hold, interaction_order = excluded.interaction_order,
			last_interaction_at = excluded.last_interaction_at, updated_at = excluded.updated_at`,
		c.ID, c.Client.BotID, c.Client.ChannelID, c.Client.UserID, c.FlowID, c.StepID, string(c.Status),
		jsonArg(c.Hold), int64(c.InteractionOrder), timeArg(c.LastInteractionAt), timeArg(c.CreatedAt),
		timeArg(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	return nil
}

// CloseConversations closes every open conversation of a client, dating the
// change at.
func (t *tx) CloseConversations(ctx context.Context, key switchboard.ClientKey, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE conversations SET status = 'CLOSED', updated_at = ?
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND status = 'OPEN'`,
		timeArg(at), key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return fmt.Errorf("close conversations: %w", err)
	}
	return nil
}

func scanConversation(r scanner) (switchboard.Conversation, error) {
	var (
		c      switchboard.Conversation
		status string
	)
	err := r.Scan(&c.ID, &c.Client.BotID, &c.Client.ChannelID, &c.Client.UserID, &c.FlowID, &c.StepID,
		&status, jsonCol{&c.Hold}, intCol{&c.InteractionOrder}, timeCol{&c.LastInteractionAt},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Status = switchboard.ConversationStatus(status)
	return c, err
}
