package sqlite

import (
	"context"
	"fmt"
	"time"

	"switchboard"
)

// BotUsage counts a bot's messages in [since, until) and their clients,
// through the messages_client index (bot_id first).
func (t *tx) BotUsage(ctx context.Context, botID string, since, until time.Time) (switchboard.Usage, error) {
	u, err := queryOne(ctx, t, func(r scanner) (switchboard.Usage, error) {
		var u switchboard.Usage
		err := r.Scan(intCol{&u.Messages}, intCol{&u.Clients})
		return u, err
	}, `SELECT COUNT(*), COUNT(DISTINCT channel_id || '/' || user_id) FROM messages
		WHERE bot_id = ? AND created_at >= ? AND created_at < ?`, botID, since.UnixMicro(), until.UnixMicro())
	if err != nil {
		return switchboard.Usage{}, fmt.Errorf("bot usage: %w", err)
	}
	return *u, nil
}
