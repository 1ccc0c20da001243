package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// Memories returns all memories of a client, by key.
func (t *tx) Memories(ctx context.Context, key switchboard.ClientKey) ([]switchboard.Memory, error) {
	ms, err := queryAll(ctx, t, scanMemory, memoriesSQL, key.BotID, key.ChannelID, key.UserID)
	return ms, wrap("memories", err)
}

const memoriesSQL = `SELECT key, value FROM memories WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 ORDER BY key`

// PutMemory creates or replaces one memory.
func (t *tx) PutMemory(ctx context.Context, key switchboard.ClientKey, m switchboard.Memory) error {
	_, err := t.exec(ctx, `INSERT INTO memories (bot_id, channel_id, user_id, key, value) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (bot_id, channel_id, user_id, key) DO UPDATE SET value = excluded.value`,
		key.BotID, key.ChannelID, key.UserID, m.Key, jsonArg(m.Value))
	return wrap("put memory", err)
}

// DeleteMemories removes the named memories, or all of them when names is nil.
// An empty, non-nil names removes nothing.
func (t *tx) DeleteMemories(ctx context.Context, key switchboard.ClientKey, names []string) error {
	var err error
	if names == nil {
		_, err = t.exec(ctx, `DELETE FROM memories WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3`,
			key.BotID, key.ChannelID, key.UserID)
	} else {
		_, err = t.exec(ctx, `DELETE FROM memories WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 AND key = ANY($4)`,
			key.BotID, key.ChannelID, key.UserID, names)
	}
	return wrap("delete memories", err)
}

func scanMemory(r pgx.Row) (switchboard.Memory, error) {
	var m switchboard.Memory
	err := r.Scan(&m.Key, jsonCol(&m.Value))
	return m, err
}
