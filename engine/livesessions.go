package engine

import (
	"context"

	"switchboard"
)

// NoLiveSessions refuses (ECONFLICT) when a bot has a live livechat
// session: deleting the bot or its data would leave those users with
// nobody to answer. The admin API and the engine API check it.
func NoLiveSessions(ctx context.Context, tx switchboard.Tx, botID string) error {
	live, err := tx.ListSessions(ctx, switchboard.SessionFilter{
		BotID: botID, States: []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}, Limit: 1,
	})
	if err != nil {
		return err
	}
	if len(live) > 0 {
		return switchboard.Errorf(switchboard.ECONFLICT, "bot %q has live livechat sessions: end them first (the administration's Sessions page)", botID)
	}
	return nil
}
