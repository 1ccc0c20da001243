package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// BotUsage counts a bot's messages in [since, until) and their clients.
func (t *tx) BotUsage(ctx context.Context, botID string, since, until time.Time) (switchboard.Usage, error) {
	rows, err := queryAll(ctx, t, func(r pgx.Row) (switchboard.Usage, error) {
		var m, c int64
		err := r.Scan(&m, &c)
		return switchboard.Usage{Messages: int(m), Clients: int(c)}, err
	}, `SELECT COUNT(*), COUNT(DISTINCT (channel_id, user_id)) FROM messages
		WHERE bot_id = $1 AND created_at >= $2 AND created_at < $3`, botID, since, until)
	if err != nil {
		return switchboard.Usage{}, wrap("bot usage", err)
	}
	return rows[0], nil
}
