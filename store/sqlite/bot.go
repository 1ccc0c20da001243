package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

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
		return fmt.Errorf("put bot version: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO bot_versions (bot_id, version_id, bot, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (bot_id, version_id) DO UPDATE SET created_at = excluded.created_at, seq = (SELECT MAX(seq) + 1 FROM bot_versions)`,
		v.Bot.ID, v.VersionID, string(bot), timeArg(v.CreatedAt))
	if err != nil {
		return fmt.Errorf("put bot version: %w", err)
	}
	return nil
}

// LatestBot returns the version with the latest CreatedAt, the last stored
// among equals.
func (t *tx) LatestBot(ctx context.Context, botID string) (*switchboard.BotVersion, error) {
	v, err := queryOne(ctx, t, scanBotVersion, `SELECT `+botVersionColumns+` FROM bot_versions
		WHERE bot_id = ? ORDER BY created_at DESC, seq DESC LIMIT 1`, botID)
	if err != nil {
		return nil, fmt.Errorf("latest bot: %w", err)
	}
	if v == nil {
		return nil, notFound("bot", botID)
	}
	return v, nil
}

// ListBots returns the latest version of every bot, by bot id.
func (t *tx) ListBots(ctx context.Context) ([]switchboard.BotVersion, error) {
	vs, err := queryAll(ctx, t, scanBotVersion, `SELECT `+botVersionColumns+` FROM bot_versions v
		WHERE seq = (SELECT seq FROM bot_versions l WHERE l.bot_id = v.bot_id ORDER BY created_at DESC, seq DESC LIMIT 1)
		ORDER BY bot_id`)
	if err != nil {
		return nil, fmt.Errorf("list bots: %w", err)
	}
	return vs, nil
}

// BotVersions returns every version of a bot, newest first.
func (t *tx) BotVersions(ctx context.Context, botID string) ([]switchboard.BotVersion, error) {
	vs, err := queryAll(ctx, t, scanBotVersion, `SELECT `+botVersionColumns+` FROM bot_versions
		WHERE bot_id = ? ORDER BY created_at DESC, seq DESC`, botID)
	if err != nil {
		return nil, fmt.Errorf("bot versions: %w", err)
	}
	return vs, nil
}

// DeleteBot removes every version of a bot; a bot with no version is
// ENOTFOUND. Its channels, clients and history stay.
func (t *tx) DeleteBot(ctx context.Context, botID string) error {
	n, err := t.execN(ctx, `DELETE FROM bot_versions WHERE bot_id = ?`, botID)
	if err != nil {
		return fmt.Errorf("delete bot: %w", err)
	}
	if n == 0 {
		return notFound("bot", botID)
	}
	return nil
}

func scanBotVersion(r scanner) (switchboard.BotVersion, error) {
	var (
		v   switchboard.BotVersion
		bot []byte
	)
	if err := r.Scan(&bot, &v.VersionID, timeCol{&v.CreatedAt}); err != nil {
		return v, err
	}
	if err := json.Unmarshal(bot, &v.Bot); err != nil {
		return v, fmt.Errorf("bot %s version %s: %w", v.Bot.ID, v.VersionID, err)
	}
	return v, nil
}
