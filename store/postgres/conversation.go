package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const conversationColumns = `id, bot_id, channel_id, user_id, flow_id, step_id, status, hold,
	interaction_order, last_interaction_at, created_at, updated_at, version, running_bot`

// FindOpenConversation returns the client's open conversation (there is at
// most one), or nil.
func (t *tx) FindOpenConversation(ctx context.Context, key switchboard.ClientKey) (*switchboard.Conversation, error) {
	c, err := queryOne(ctx, t, scanConversation, openConversationSQL, key.BotID, key.ChannelID, key.UserID)
	return c, wrap("find open conversation", err)
}

const openConversationSQL = `SELECT ` + conversationColumns + ` FROM conversations
	WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 AND status = 'OPEN'`

// PutConversation creates a conversation (Version 0) or updates it when
// Version is the stored one, then increments c.Version; anything else is
// ECONFLICT. An update that races with another (in another instance) waits
// for it, then finds the version moved. The client and creation time of a
// conversation never change, so an update leaves them alone.
func (t *tx) PutConversation(ctx context.Context, c *switchboard.Conversation) error {
	if c.Version == 0 {
		n, err := t.exec(ctx, `INSERT INTO conversations (`+conversationColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13) ON CONFLICT DO NOTHING`,
			c.ID, c.Client.BotID, c.Client.ChannelID, c.Client.UserID, c.FlowID, c.StepID, string(c.Status),
			jsonArg(c.Hold), int64(c.InteractionOrder), timeArg(c.LastInteractionAt), timeArg(c.CreatedAt),
			timeArg(c.UpdatedAt), c.RunningBot)
		if isCode(err, codeUnique) || err == nil && n == 0 {
			return switchboard.Errorf(switchboard.ECONFLICT, "conversation %s: the id is taken, or client %s already has an open conversation", c.ID, c.Client)
		}
		if err != nil {
			return wrap("put conversation", err)
		}
		c.Version = 1
		return nil
	}
	// Reopening while another conversation of the client is open changes
	// nothing, rather than failing the transaction on the unique index.
	n, err := t.exec(ctx, `UPDATE conversations SET flow_id = $1, step_id = $2, status = $3, hold = $4,
			interaction_order = $5, last_interaction_at = $6, updated_at = $7, version = version + 1, running_bot = $10
		WHERE id = $8 AND version = $9 AND ($3 <> 'OPEN' OR status = 'OPEN' OR NOT EXISTS (
			SELECT 1 FROM conversations o WHERE o.bot_id = conversations.bot_id AND o.channel_id = conversations.channel_id
				AND o.user_id = conversations.user_id AND o.status = 'OPEN'))`,
		c.FlowID, c.StepID, string(c.Status), jsonArg(c.Hold), int64(c.InteractionOrder),
		timeArg(c.LastInteractionAt), timeArg(c.UpdatedAt), c.ID, c.Version, c.RunningBot)
	if isCode(err, codeUnique) || err == nil && n == 0 {
		return switchboard.Errorf(switchboard.ECONFLICT, "conversation %s was changed or removed since version %d was read, or client %s has another open conversation", c.ID, c.Version, c.Client)
	}
	if err != nil {
		return wrap("put conversation", err)
	}
	c.Version++
	return nil
}

// CloseConversations closes every open conversation of a client, dating the
// change at.
func (t *tx) CloseConversations(ctx context.Context, key switchboard.ClientKey, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE conversations SET status = 'CLOSED', updated_at = $1, version = version + 1
		WHERE bot_id = $2 AND channel_id = $3 AND user_id = $4 AND status = 'OPEN'`,
		timeArg(at), key.BotID, key.ChannelID, key.UserID)
	return wrap("close conversations", err)
}

// ClientConversations returns a client's conversations, newest first.
func (t *tx) ClientConversations(ctx context.Context, key switchboard.ClientKey, limit, offset int) ([]switchboard.Conversation, error) {
	cs, err := queryAll(ctx, t, scanConversation, `SELECT `+conversationColumns+` FROM conversations
		WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3
		ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5`,
		key.BotID, key.ChannelID, key.UserID, limit, offset)
	return cs, wrap("list conversations", err)
}

func scanConversation(r pgx.Row) (switchboard.Conversation, error) {
	var (
		c      switchboard.Conversation
		status string
		order  int64
	)
	err := r.Scan(&c.ID, &c.Client.BotID, &c.Client.ChannelID, &c.Client.UserID, &c.FlowID, &c.StepID,
		&status, jsonCol(&c.Hold), &order, timeCol{&c.LastInteractionAt},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Version, &c.RunningBot)
	c.Status = switchboard.ConversationStatus(status)
	c.InteractionOrder = int(order)
	return c, err
}
