package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// LockClient makes the rest of the transaction the only one processing the
// client, in every process using the schema: it takes a transaction-level
// advisory lock on a 64-bit hash of the schema and the client key, released
// by the commit or rollback. Two clients whose hashes collide merely wait
// for each other. Taking it again in the same transaction is harmless.
func (t *tx) LockClient(ctx context.Context, key switchboard.ClientKey) error {
	if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock($1)`, t.lockKey(nsClient, key.String())); err != nil {
		return wrap("lock client", err)
	}
	return nil
}

const clientColumns = `bot_id, channel_id, user_id, metadata, callback_url, created_at, updated_at`

// ClientState reads a client's state; in a View, the first of its reads
// brings the others in its round trip (ahead.go).
func (t *tx) ClientState(ctx context.Context, key switchboard.ClientKey) (*switchboard.ClientState, error) {
	return switchboard.ReadClientState(ctx, t, key)
}

// FindClient returns a client or nil.
func (t *tx) FindClient(ctx context.Context, key switchboard.ClientKey) (*switchboard.Client, error) {
	c, err := queryOne(ctx, t, scanClient, findClientSQL, key.BotID, key.ChannelID, key.UserID)
	return c, wrap("find client", err)
}

const findClientSQL = `SELECT ` + clientColumns + ` FROM clients WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3`

// PutClient creates or replaces a client.
func (t *tx) PutClient(ctx context.Context, c *switchboard.Client) error {
	_, err := t.exec(ctx, `INSERT INTO clients (`+clientColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (bot_id, channel_id, user_id) DO UPDATE SET metadata = excluded.metadata,
			callback_url = excluded.callback_url, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		c.Key.BotID, c.Key.ChannelID, c.Key.UserID, jsonArg(c.Metadata), c.CallbackURL, timeArg(c.CreatedAt), timeArg(c.UpdatedAt))
	return wrap("put client", err)
}

func scanClient(r pgx.Row) (switchboard.Client, error) {
	var c switchboard.Client
	err := r.Scan(&c.Key.BotID, &c.Key.ChannelID, &c.Key.UserID, jsonCol(&c.Metadata), &c.CallbackURL,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}
