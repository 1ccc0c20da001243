package sqlite

import (
	"context"
	"fmt"

	"switchboard"
)

const channelColumns = `id, bot_id, type, name, created_at`

// PutChannel creates or replaces a channel.
func (t *tx) PutChannel(ctx context.Context, c *switchboard.Channel) error {
	_, err := t.exec(ctx, `INSERT INTO channels (`+channelColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET bot_id = excluded.bot_id, type = excluded.type,
			name = excluded.name, created_at = excluded.created_at`,
		c.ID, c.BotID, string(c.Type), c.Name, timeArg(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("put channel: %w", err)
	}
	return nil
}

// Channel returns one channel, or ENOTFOUND.
func (t *tx) Channel(ctx context.Context, id string) (*switchboard.Channel, error) {
	c, err := queryOne(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("channel: %w", err)
	}
	if c == nil {
		return nil, notFound("channel", id)
	}
	return c, nil
}

// ChannelsOfBot returns a bot's channels, oldest first.
func (t *tx) ChannelsOfBot(ctx context.Context, botID string) ([]switchboard.Channel, error) {
	cs, err := queryAll(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels
		WHERE bot_id = ? ORDER BY created_at, rowid`, botID)
	if err != nil {
		return nil, fmt.Errorf("channels of bot: %w", err)
	}
	return cs, nil
}

func scanChannel(r scanner) (switchboard.Channel, error) {
	var c switchboard.Channel
	err := r.Scan(&c.ID, &c.BotID, &c.Type, &c.Name, timeCol{&c.CreatedAt})
	return c, err
}
