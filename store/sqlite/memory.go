package sqlite

import (
	"context"
	"fmt"

	"switchboard"
)

// Memories returns all memories of a client, by key.
func (t *tx) Memories(ctx context.Context, key switchboard.ClientKey) ([]switchboard.Memory, error) {
	ms, err := queryAll(ctx, t, scanMemory, `SELECT key, value FROM memories
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? ORDER BY key`, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("memories: %w", err)
	}
	return ms, nil
}

// PutMemory creates or replaces one memory.
func (t *tx) PutMemory(ctx context.Context, key switchboard.ClientKey, m switchboard.Memory) error {
	res, err := t.exec(ctx, `INSERT INTO memories (bot_id, channel_id, user_id, key, value) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (bot_id, channel_id, user_id, key) DO UPDATE SET value = excluded.value`,
		key.BotID, key.ChannelID, key.UserID, m.Key, jsonArg(m.Value))
	if err != nil {
		return fmt.Errorf("put memory: %w", err)
	}
	t.patch(key, res.changes, memoryPatch(m))
	return nil
}

// DeleteMemories removes the named memories, or all of them when names is nil.
// An empty, non-nil names removes nothing.
func (t *tx) DeleteMemories(ctx context.Context, key switchboard.ClientKey, names []string) error {
	if names == nil {
		res, err := t.exec(ctx, `DELETE FROM memories WHERE bot_id = ? AND channel_id = ? AND user_id = ?`,
			key.BotID, key.ChannelID, key.UserID)
		if err != nil {
			return fmt.Errorf("delete memories: %w", err)
		}
		t.patch(key, res.changes, forgetPatch(nil, true))
		return nil
	}
	for _, name := range names {
		res, err := t.exec(ctx, `DELETE FROM memories WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND key = ?`,
			key.BotID, key.ChannelID, key.UserID, name)
		if err != nil {
			return fmt.Errorf("delete memories: %w", err)
		}
		t.patch(key, res.changes, forgetPatch([]string{name}, false))
	}
	return nil
}

func scanMemory(r scanner) (switchboard.Memory, error) {
	var m switchboard.Memory
	err := r.Scan(&m.Key, jsonCol{&m.Value})
	return m, err
}
