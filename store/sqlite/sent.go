package sqlite

import (
	"context"
	"fmt"

	"switchboard"
)

const sentColumns = `channel_id, platform_id, message_id, bot_id, user_id, part, status, error, updated_at`

// DeleteChannel removes a channel, or ENOTFOUND.
func (t *tx) DeleteChannel(ctx context.Context, id string) error {
	n, err := t.execN(ctx, `DELETE FROM channels WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete channel: %w", err)
	}
	if n == 0 {
		return notFound("channel", id)
	}
	return nil
}

// PutSent records a native message a channel sent, or its new status.
func (t *tx) PutSent(ctx context.Context, s *switchboard.Sent) error {
	_, err := t.exec(ctx, `INSERT INTO channel_sent (`+sentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_id, platform_id) DO UPDATE SET message_id = excluded.message_id,
			bot_id = excluded.bot_id, user_id = excluded.user_id, part = excluded.part,
			status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
		s.ChannelID, s.PlatformID, s.MessageID, s.Client.BotID, s.Client.UserID, int64(s.Part), s.Status, s.Error, s.UpdatedAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("put sent: %w", err)
	}
	return nil
}

// FindSent returns the native message known by this platform id, or nil.
func (t *tx) FindSent(ctx context.Context, channelID, platformID string) (*switchboard.Sent, error) {
	s, err := queryOne(ctx, t, scanSent, `SELECT `+sentColumns+` FROM channel_sent WHERE channel_id = ? AND platform_id = ?`, channelID, platformID)
	if err != nil {
		return nil, fmt.Errorf("find sent: %w", err)
	}
	return s, nil
}

// SentOf returns the native messages of one stored message, by part.
func (t *tx) SentOf(ctx context.Context, messageID int64) ([]switchboard.Sent, error) {
	out, err := queryAll(ctx, t, scanSent, `SELECT `+sentColumns+` FROM channel_sent WHERE message_id = ? ORDER BY part, platform_id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("sent of message: %w", err)
	}
	return out, nil
}

func scanSent(r scanner) (switchboard.Sent, error) {
	var s switchboard.Sent
	var part int64
	err := r.Scan(&s.ChannelID, &s.PlatformID, &s.MessageID, &s.Client.BotID, &s.Client.UserID, &part, &s.Status, &s.Error, timeCol{&s.UpdatedAt})
	s.Client.ChannelID, s.Part = s.ChannelID, int(part)
	return s, err
}
