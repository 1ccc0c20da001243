package sqlite

import (
	"context"
	"fmt"
	"strings"

	"switchboard"
)

// latestBatch bounds the clients of one LatestMessages statement (three
// parameters each, far below SQLite's limit of variables).
const latestBatch = 300

// latestMessagesQuery is the statement reading the last message of n clients
// by a sender kind (the last two parameters, both ” for any): for each client a walk
// back from its newest entry of messages_client (id, the rowid, is the
// index's last column), then the row by rowid.
func latestMessagesQuery(n int) string {
	return `WITH k(bot_id, channel_id, user_id) AS (VALUES (?, ?, ?)` + strings.Repeat(`, (?, ?, ?)`, n-1) + `)
		SELECT ` + prefixed("m.", messageColumns) + ` FROM k JOIN messages m ON m.rowid = (
			SELECT l.id FROM messages l INDEXED BY messages_client
			WHERE l.bot_id = k.bot_id AND l.channel_id = k.channel_id AND l.user_id = k.user_id
				AND (? = '' OR l.sender_kind = ?)
			ORDER BY l.id DESC LIMIT 1)`
}

// latestSize is the number of clients of the statement that reads n of them:
// the next power of two, or latestBatch.
func latestSize(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return min(size, latestBatch)
}

// prefixed qualifies each column of a column list.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// LatestMessages returns the last message of each client by from, by client,
// in one statement per latestBatch distinct clients.
func (t *tx) LatestMessages(ctx context.Context, keys []switchboard.ClientKey, from switchboard.SenderKind) (map[switchboard.ClientKey]switchboard.Message, error) {
	out := make(map[switchboard.ClientKey]switchboard.Message, len(keys))
	seen := make(map[switchboard.ClientKey]bool, len(keys))
	uniq := make([]switchboard.ClientKey, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	if len(uniq) == 0 {
		if err := t.ready(ctx); err != nil {
			return nil, err
		}
		return out, nil
	}
	for len(uniq) > 0 {
		batch := uniq[:min(len(uniq), latestBatch)]
		uniq = uniq[len(batch):]
		// The batch is padded with its last client to one of a few sizes,
		// so that few statements stay prepared.
		n := latestSize(len(batch))
		args := make([]any, 0, 3*n+2)
		for i := range n {
			k := batch[min(i, len(batch)-1)]
			args = append(args, k.BotID, k.ChannelID, k.UserID)
		}
		args = append(args, string(from), string(from))
		ms, err := queryAll(ctx, t, scanMessage, latestMessagesQuery(n), args...)
		if err != nil {
			return nil, fmt.Errorf("latest messages: %w", err)
		}
		for _, m := range ms {
			out[m.Client] = m
		}
	}
	return out, nil
}
