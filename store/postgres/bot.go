package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// A bot version is stored as the JSON of its switchboard.Bot: it is immutable
// and always read whole.

const botVersionColumns = `bot, version_id, created_at`

// PutBotVersion stores a version. Storing the same (bot id, version id) again
// keeps one row and dates it anew, so loading an older content again makes it
// the latest version once more.
func (t *tx) PutBotVersion(ctx context.Context, v *switchboard.BotVersion) error {
	if v.Bot.ID == "" || v.VersionID == "" {
		return switchboard.Errorf(switchboard.EINVALID, "bot version needs a bot id and a version id")
	}
	bot, err := json.Marshal(v.Bot)
	if err != nil {
		return wrap("put bot version", err)
	}
	_, err = t.exec(ctx, `INSERT INTO bot_versions (bot_id, version_id, bot, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (bot_id, version_id) DO UPDATE SET created_at = excluded.created_at,
			seq = nextval(pg_get_serial_sequence('bot_versions', 'seq'))`,
		v.Bot.ID, v.VersionID, bot, timeArg(v.CreatedAt))
	return wrap("put bot version", err)
}

// LatestBot returns the version with the latest CreatedAt, the last stored
// among equals.
func (t *tx) LatestBot(ctx context.Context, botID string) (*switchboard.BotVersion, error) {
	v, err := queryOne(ctx, t, scanBotVersion, `SELECT `+botVersionColumns+` FROM bot_versions
		WHERE bot_id = $1 ORDER BY created_at DESC NULLS LAST, seq DESC LIMIT 1`, botID)
	if err != nil {
		return nil, wrap("latest bot", err)
	}
	if v == nil {
		return nil, notFound("bot", botID)
	}
	return v, nil
}

// ListBots returns the latest version of every bot, by bot id.
func (t *tx) ListBots(ctx context.Context) ([]switchboard.BotVersion, error) {
	vs, err := queryAll(ctx, t, scanBotVersion, `SELECT DISTINCT ON (bot_id) `+botVersionColumns+` FROM bot_versions
		ORDER BY bot_id, created_at DESC NULLS LAST, seq DESC`)
	return vs, wrap("list bots", err)
}

// BotVersions returns every version of a bot, newest first.
func (t *tx) BotVersions(ctx context.Context, botID string) ([]switchboard.BotVersion, error) {
	vs, err := queryAll(ctx, t, scanBotVersion, `SELECT `+botVersionColumns+` FROM bot_versions
		WHERE bot_id = $1 ORDER BY created_at DESC NULLS LAST, seq DESC`, botID)
	return vs, wrap("bot versions", err)
}

// DeleteBot removes every version of a bot; a bot with no version is
// ENOTFOUND. Its channels, clients and history stay.
func (t *tx) DeleteBot(ctx context.Context, botID string) error {
	n, err := t.exec(ctx, `DELETE FROM bot_versions WHERE bot_id = $1`, botID)
	if err != nil {
		return wrap("delete bot", err)
	}
	if n == 0 {
		return notFound("bot", botID)
	}
	return nil
}

func scanBotVersion(r pgx.Row) (switchboard.BotVersion, error) {
	var (
		v   switchboard.BotVersion
		bot []byte
	)
	if err := r.Scan(&bot, &v.VersionID, timeCol{&v.CreatedAt}); err != nil {
		return v, err
	}
	if err := json.Unmarshal(bot, &v.Bot); err != nil {
		return v, fmt.Errorf("bot version %s: %w", v.VersionID, err)
	}
	return v, nil
}
