package sqlite

import (
	"context"
	"fmt"
	"strings"

	"switchboard"
)

const channelColumns = `id, bot_id, type, name, created_at, api_key, secret, multibot`

// PutChannel creates or replaces a channel; an API key of another channel is
// ECONFLICT.
func (t *tx) PutChannel(ctx context.Context, c *switchboard.Channel) error {
	_, err := t.exec(ctx, `INSERT INTO channels (`+channelColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET bot_id = excluded.bot_id, type = excluded.type,
			name = excluded.name, created_at = excluded.created_at, api_key = excluded.api_key,
			secret = excluded.secret, multibot = excluded.multibot`,
		c.ID, c.BotID, string(c.Type), c.Name, timeArg(c.CreatedAt), c.APIKey, c.Secret, c.Multibot.Encode())
	if err != nil {
		if isUnique(err) && strings.Contains(err.Error(), "api_key") {
			err = switchboard.Errorf(switchboard.ECONFLICT, "another channel has this API key")
		}
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

// ListChannels returns every channel, oldest first.
func (t *tx) ListChannels(ctx context.Context) ([]switchboard.Channel, error) {
	cs, err := queryAll(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return cs, nil
}

// FindChannelByAPIKey returns the channel with this API key, or nil.
func (t *tx) FindChannelByAPIKey(ctx context.Context, apiKey string) (*switchboard.Channel, error) {
	if apiKey == "" {
		return nil, t.ready(ctx)
	}
	c, err := queryOne(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels WHERE api_key = ? AND api_key <> ''`, apiKey)
	if err != nil {
		return nil, fmt.Errorf("find channel by API key: %w", err)
	}
	return c, nil
}

func scanChannel(r scanner) (switchboard.Channel, error) {
	var (
		c             switchboard.Channel
		typ, multibot string
	)
	err := r.Scan(&c.ID, &c.BotID, &typ, &c.Name, timeCol{&c.CreatedAt}, &c.APIKey, &c.Secret, &multibot)
	c.Type = switchboard.ChannelType(typ)
	if err == nil {
		c.Multibot, err = switchboard.DecodeMultiBots(multibot)
	}
	return c, err
}
