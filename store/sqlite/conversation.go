package sqlite

import (
	"context"
	"fmt"
	"time"

	"switchboard"
)

const conversationColumns = `id, bot_id, channel_id, user_id, flow_id, step_id, status, hold,
	interaction_order, last_interaction_at, created_at, updated_at, version, running_bot`

// FindOpenConversation returns the client's open conversation (there is at
// most one), or nil.
func (t *tx) FindOpenConversation(ctx context.Context, key switchboard.ClientKey) (*switchboard.Conversation, error) {
	c, err := queryOne(ctx, t, scanConversation, `SELECT `+conversationColumns+` FROM conversations
		INDEXED BY conversations_open WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND status = 'OPEN'`,
		key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("find open conversation: %w", err)
	}
	return c, nil
}

// PutConversation creates a conversation (Version 0) or updates it when
// Version is the stored one, then increments c.Version; anything else is
// ECONFLICT. The client and creation time of a conversation never change, so
// an update leaves them alone; and an update that keeps the status (every
// save but the one that closes the conversation) does not set it: SQLite
// rewrites the entry of an index whenever an UPDATE sets a column that the
// index's WHERE reads, changed or not, and conversations_open reads status.
// So saving after a turn rewrites one row only.
func (t *tx) PutConversation(ctx context.Context, c *switchboard.Conversation) error {
	if c.Version == 0 {
		_, err := t.exec(ctx, `INSERT INTO conversations (`+conversationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			c.ID, c.Client.BotID, c.Client.ChannelID, c.Client.UserID, c.FlowID, c.StepID, string(c.Status),
			jsonArg(c.Hold), int64(c.InteractionOrder), timeArg(c.LastInteractionAt), timeArg(c.CreatedAt),
			timeArg(c.UpdatedAt), c.RunningBot)
		if isUnique(err) {
			return switchboard.Errorf(switchboard.ECONFLICT, "conversation %s: the id is taken, or client %s already has an open conversation", c.ID, c.Client)
		}
		if err != nil {
			return fmt.Errorf("put conversation: %w", err)
		}
		c.Version = 1
		t.patch(c.Client, 1, conversationPatch(c, true))
		return nil
	}
	n, err := t.execN(ctx, `UPDATE conversations SET flow_id = ?, step_id = ?, hold = ?, interaction_order = ?,
			last_interaction_at = ?, updated_at = ?, running_bot = ?, version = version + 1
		WHERE id = ? AND version = ? AND status = ?`,
		c.FlowID, c.StepID, jsonArg(c.Hold), int64(c.InteractionOrder),
		timeArg(c.LastInteractionAt), timeArg(c.UpdatedAt), c.RunningBot, c.ID, c.Version, string(c.Status))
	if err == nil && n == 0 { // the status changes, or the version is not the stored one
		n, err = t.execN(ctx, `UPDATE conversations SET flow_id = ?, step_id = ?, status = ?, hold = ?,
				interaction_order = ?, last_interaction_at = ?, updated_at = ?, running_bot = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			c.FlowID, c.StepID, string(c.Status), jsonArg(c.Hold), int64(c.InteractionOrder),
			timeArg(c.LastInteractionAt), timeArg(c.UpdatedAt), c.RunningBot, c.ID, c.Version)
	}
	if isUnique(err) {
		return switchboard.Errorf(switchboard.ECONFLICT, "conversation %s: client %s already has an open conversation", c.ID, c.Client)
	}
	if err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	if n == 0 {
		return switchboard.Errorf(switchboard.ECONFLICT, "conversation %s was changed or removed since version %d was read", c.ID, c.Version)
	}
	c.Version++
	t.patch(c.Client, n, conversationPatch(c, false))
	return nil
}

// CloseConversations closes every open conversation of a client, dating the
// change at.
func (t *tx) CloseConversations(ctx context.Context, key switchboard.ClientKey, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE conversations SET status = 'CLOSED', updated_at = ?, version = version + 1
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND status = 'OPEN'`,
		timeArg(at), key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return fmt.Errorf("close conversations: %w", err)
	}
	return nil
}

// ClientConversations returns a client's conversations, newest first,
// through conversations_client.
func (t *tx) ClientConversations(ctx context.Context, key switchboard.ClientKey, limit, offset int) ([]switchboard.Conversation, error) {
	cs, err := queryAll(ctx, t, scanConversation, `SELECT `+conversationColumns+` FROM conversations
		INDEXED BY conversations_client WHERE bot_id = ? AND channel_id = ? AND user_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		key.BotID, key.ChannelID, key.UserID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return cs, nil
}

func scanConversation(r scanner) (switchboard.Conversation, error) {
	var (
		c      switchboard.Conversation
		status string
	)
	err := r.Scan(&c.ID, &c.Client.BotID, &c.Client.ChannelID, &c.Client.UserID, &c.FlowID, &c.StepID,
		&status, jsonCol{&c.Hold}, intCol{&c.InteractionOrder}, timeCol{&c.LastInteractionAt},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Version, &c.RunningBot)
	c.Status = switchboard.ConversationStatus(status)
	return c, err
}
