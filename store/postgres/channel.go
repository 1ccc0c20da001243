package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const channelColumns = `id, bot_id, type, name, created_at, api_key, secret, multibot`

// PutChannel creates or replaces a channel; an API key of another channel is
// ECONFLICT (and changes nothing).
func (t *tx) PutChannel(ctx context.Context, c *switchboard.Channel) error {
	n, err := t.exec(ctx, `INSERT INTO channels (`+channelColumns+`)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8
		WHERE $6 = '' OR NOT EXISTS (SELECT 1 FROM channels WHERE api_key = $6 AND id <> $1)
		ON CONFLICT (id) DO UPDATE SET bot_id = excluded.bot_id, type = excluded.type,
			name = excluded.name, created_at = excluded.created_at, api_key = excluded.api_key,
			secret = excluded.secret, multibot = excluded.multibot`,
		c.ID, c.BotID, string(c.Type), c.Name, timeArg(c.CreatedAt), c.APIKey, c.Secret, c.Multibot.Encode())
	if err == nil && n == 0 || isCode(err, codeUnique) {
		return switchboard.Errorf(switchboard.ECONFLICT, "another channel has this API key")
	}
	return wrap("put channel", err)
}

// Channel returns one channel, or ENOTFOUND.
func (t *tx) Channel(ctx context.Context, id string) (*switchboard.Channel, error) {
	c, err := queryOne(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id)
	if err != nil {
		return nil, wrap("channel", err)
	}
	if c == nil {
		return nil, notFound("channel", id)
	}
	return c, nil
}

// ChannelsOfBot returns a bot's channels, oldest first.
func (t *tx) ChannelsOfBot(ctx context.Context, botID string) ([]switchboard.Channel, error) {
	cs, err := queryAll(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels
		WHERE bot_id = $1 ORDER BY created_at NULLS FIRST, seq`, botID)
	return cs, wrap("channels of bot", err)
}

// ListChannels returns every channel, oldest first.
func (t *tx) ListChannels(ctx context.Context) ([]switchboard.Channel, error) {
	cs, err := queryAll(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels ORDER BY created_at NULLS FIRST, seq`)
	return cs, wrap("list channels", err)
}

// FindChannelByAPIKey returns the channel with this API key, or nil.
func (t *tx) FindChannelByAPIKey(ctx context.Context, apiKey string) (*switchboard.Channel, error) {
	if apiKey == "" {
		return nil, t.ready(ctx)
	}
	c, err := queryOne(ctx, t, scanChannel, `SELECT `+channelColumns+` FROM channels WHERE api_key = $1 AND api_key <> ''`, apiKey)
	return c, wrap("find channel by API key", err)
}

func scanChannel(r pgx.Row) (switchboard.Channel, error) {
	var (
		c        switchboard.Channel
		multibot string
	)
	err := r.Scan(&c.ID, &c.BotID, &c.Type, &c.Name, timeCol{&c.CreatedAt}, &c.APIKey, &c.Secret, &multibot)
	if err == nil {
		c.Multibot, err = switchboard.DecodeMultiBots(multibot)
	}
	return c, err
}
