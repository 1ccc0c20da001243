package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const sentColumns = `channel_id, platform_id, message_id, bot_id, user_id, part, status, error, updated_at`

// DeleteChannel removes a channel, or ENOTFOUND.
func (t *tx) DeleteChannel(ctx context.Context, id string) error {
	n, err := t.exec(ctx, `DELETE FROM channels WHERE id = $1`, id)
	if err != nil {
		return wrap("delete channel", err)
	}
	if n == 0 {
		return notFound("channel", id)
	}
	return nil
}

// PutSent records a native message a channel sent, or its new status.
func (t *tx) PutSent(ctx context.Context, s *switchboard.Sent) error {
	_, err := t.exec(ctx, `INSERT INTO channel_sent (`+sentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (channel_id, platform_id) DO UPDATE SET message_id = excluded.message_id,
			bot_id = excluded.bot_id, user_id = excluded.user_id, part = excluded.part,
			status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
		s.ChannelID, s.PlatformID, s.MessageID, s.Client.BotID, s.Client.UserID, s.Part, s.Status, s.Error, timeArg(s.UpdatedAt))
	return wrap("put sent", err)
}

// FindSent returns the native message known by this platform id, or nil.
func (t *tx) FindSent(ctx context.Context, channelID, platformID string) (*switchboard.Sent, error) {
	s, err := queryOne(ctx, t, scanSent, `SELECT `+sentColumns+` FROM channel_sent WHERE channel_id = $1 AND platform_id = $2`, channelID, platformID)
	return s, wrap("find sent", err)
}

// SentOf returns the native messages of one stored message, by part.
func (t *tx) SentOf(ctx context.Context, messageID int64) ([]switchboard.Sent, error) {
	out, err := queryAll(ctx, t, scanSent, `SELECT `+sentColumns+` FROM channel_sent WHERE message_id = $1 ORDER BY part, platform_id`, messageID)
	return out, wrap("sent of message", err)
}

func scanSent(r pgx.Row) (switchboard.Sent, error) {
	var s switchboard.Sent
	err := r.Scan(&s.ChannelID, &s.PlatformID, &s.MessageID, &s.Client.BotID, &s.Client.UserID, &s.Part, &s.Status, &s.Error, timeCol{&s.UpdatedAt})
	s.Client.ChannelID = s.ChannelID
	return s, err
}
