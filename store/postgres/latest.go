package postgres

import (
	"context"

	"switchboard"
)

// LatestMessages returns the last message of each client by from (any sender
// when empty), by client, in one statement: the clients go as three parallel
// arrays, and each one's last message is the first of messages_client read
// backwards that from wrote.
func (t *tx) LatestMessages(ctx context.Context, keys []switchboard.ClientKey, from switchboard.SenderKind) (map[switchboard.ClientKey]switchboard.Message, error) {
	out := make(map[switchboard.ClientKey]switchboard.Message, len(keys))
	seen := make(map[switchboard.ClientKey]bool, len(keys))
	var bots, channels, users []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			bots, channels, users = append(bots, k.BotID), append(channels, k.ChannelID), append(users, k.UserID)
		}
	}
	if len(bots) == 0 {
		if err := t.ready(ctx); err != nil {
			return nil, err
		}
		return out, nil
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT m.* FROM unnest($1::text[], $2::text[], $3::text[]) AS k(bot_id, channel_id, user_id)
		CROSS JOIN LATERAL (SELECT `+messageColumns+` FROM messages
			WHERE messages.bot_id = k.bot_id AND messages.channel_id = k.channel_id AND messages.user_id = k.user_id
				AND ($4 = '' OR messages.sender_kind = $4)
			ORDER BY messages.id DESC LIMIT 1) m`, bots, channels, users, string(from))
	if err != nil {
		return nil, wrap("latest messages", err)
	}
	for _, m := range ms {
		out[m.Client] = m
	}
	return out, nil
}
