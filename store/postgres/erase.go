package postgres

import (
	"context"
	"fmt"

	"switchboard"
)

// The tables that hold a client's data, erased by DeleteClientData and
// DeleteBotData. Sessions stay, live ones whole (the callers refuse while
// one is live), ended ones without the client's metadata.
var eraseClientData = []string{
	`DELETE FROM conversations WHERE %s`,
	`DELETE FROM memories WHERE %s`,
	`UPDATE sessions SET metadata = NULL WHERE state NOT IN ('pending', 'active') AND %s`,
	// A survey keeps its rating for the dashboard, not what the user wrote;
	// what agents handed back about the user goes.
	`UPDATE csat_answers SET comment = '', state = 'done' WHERE %s`,
	`DELETE FROM session_handbacks WHERE session_id IN (SELECT id FROM sessions WHERE %s)`,
	`DELETE FROM clients WHERE %s`,
	`DELETE FROM channel_sent WHERE %s`,
	`DELETE FROM messages WHERE %s`,
}

// DeleteClientData erases a client and everything stored about it.
func (t *tx) DeleteClientData(ctx context.Context, key switchboard.ClientKey) error {
	return t.erase(ctx, "bot_id = $1 AND channel_id = $2 AND user_id = $3", key.BotID, key.ChannelID, key.UserID)
}

// DeleteBotData erases every client of a bot.
func (t *tx) DeleteBotData(ctx context.Context, botID string) error {
	return t.erase(ctx, "bot_id = $1", botID)
}

// erase runs eraseClientData on the clients where selects.
func (t *tx) erase(ctx context.Context, where string, args ...any) error {
	for _, q := range eraseClientData {
		if _, err := t.exec(ctx, fmt.Sprintf(q, where), args...); err != nil {
			return wrap("erase client data", err)
		}
	}
	return nil
}

// DeleteBotVersion removes one version of a bot.
func (t *tx) DeleteBotVersion(ctx context.Context, botID, versionID string) error {
	n, err := t.exec(ctx, `DELETE FROM bot_versions WHERE bot_id = $1 AND version_id = $2`, botID, versionID)
	if err != nil {
		return wrap("delete bot version", err)
	}
	if n == 0 {
		return notFound("version of bot "+botID, versionID)
	}
	return nil
}
