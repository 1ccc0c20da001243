package sqlite

import (
	"context"
	"fmt"

	"switchboard"
)

// LockClient makes the rest of the transaction the only one processing the
// client. On SQLite every Update already is the only one running: the process
// has a single write connection on which Updates run one after the other
// (several may share a commit, never run at once), and BEGIN IMMEDIATE holds
// the database's write lock against other processes until the commit. So
// there is nothing more to take; the context is still checked.
func (t *tx) LockClient(ctx context.Context, key switchboard.ClientKey) error {
	return t.ready(ctx)
}

// FindClient returns a client or nil.
func (t *tx) FindClient(ctx context.Context, key switchboard.ClientKey) (*switchboard.Client, error) {
	c, err := queryOne(ctx, t, scanClient, `SELECT bot_id, channel_id, user_id, metadata, callback_url, created_at, updated_at
		FROM clients WHERE bot_id = ? AND channel_id = ? AND user_id = ?`, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("find client: %w", err)
	}
	return c, nil
}

// PutClient creates or replaces a client.
func (t *tx) PutClient(ctx context.Context, c *switchboard.Client) error {
	res, err := t.exec(ctx, `INSERT INTO clients (bot_id, channel_id, user_id, metadata, callback_url, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (bot_id, channel_id, user_id) DO UPDATE SET metadata = excluded.metadata,
			callback_url = excluded.callback_url, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		c.Key.BotID, c.Key.ChannelID, c.Key.UserID, jsonArg(c.Metadata), c.CallbackURL, timeArg(c.CreatedAt), timeArg(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put client: %w", err)
	}
	t.patch(c.Key, res.changes, clientPatch(c))
	return nil
}

func scanClient(r scanner) (switchboard.Client, error) {
	var c switchboard.Client
	err := r.Scan(&c.Key.BotID, &c.Key.ChannelID, &c.Key.UserID, jsonCol{&c.Metadata}, &c.CallbackURL,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}
