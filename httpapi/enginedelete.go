package httpapi

import (
	"context"
	"net/http"

	"switchboard"
	"switchboard/engine"
)

// The deletions of the CSML engine server API (the reference's
// csml_server/src/routes/bot_versions.rs and data.rs, csml_engine's
// delete_all_bot_versions, delete_bot_version_id, delete_all_bot_data,
// delete_client and delete_expired_data). As the reference, deleting what
// does not exist answers 204. Unlike it, nothing is deleted that a live
// livechat session needs (409), nor the version that runs.

// engineDeleteBot is the reference's DELETE /bots/{bot_id}: every version
// of the bot; it stops running. Its clients' data stays.
func (a *API) engineDeleteBot(w http.ResponseWriter, r *http.Request) {
	a.removeBot(w, r, false)
}

// engineDeleteBotData is the reference's DELETE /data/bots/{bot_id}: every
// version of the bot and all its clients' data.
func (a *API) engineDeleteBotData(w http.ResponseWriter, r *http.Request) {
	a.removeBot(w, r, true)
}

// removeBot deletes the versions of the path's bot, and with data the data
// of its clients, unless the bot has a live livechat session.
func (a *API) removeBot(w http.ResponseWriter, r *http.Request, data bool) {
	ctx, id := r.Context(), r.PathValue("bot_id")
	err := a.store.Update(ctx, func(tx switchboard.Tx) error {
		if err := engine.NoLiveSessions(ctx, tx, id); err != nil {
			return err
		}
		if data {
			if err := tx.DeleteBotData(ctx, id); err != nil {
				return err
			}
		}
		return absentIsDone(tx.DeleteBot(ctx, id))
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.engine.Bots().Remove(id)
	if a.notifier != nil {
		a.notifier.Notify(switchboard.TopicBots)
	}
	a.log.InfoContext(ctx, "engine API: bot deleted", "bot", id, "data", data)
	w.WriteHeader(http.StatusNoContent)
}

// absentIsDone makes deleting what does not exist a success, as the
// reference answers 204 then.
func absentIsDone(err error) error {
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		return nil
	}
	return err
}

// engineDeleteBotVersion is the reference's DELETE
// /bots/{bot_id}/versions/{version}. The reference deletes any version;
// switchboard runs the latest, so deleting it is refused (409).
func (a *API) engineDeleteBotVersion(w http.ResponseWriter, r *http.Request) {
	ctx, id, version := r.Context(), r.PathValue("bot_id"), r.PathValue("version")
	err := a.store.Update(ctx, func(tx switchboard.Tx) error {
		latest, err := tx.LatestBot(ctx, id)
		if err != nil {
			return absentIsDone(err)
		}
		if latest.VersionID == version {
			return switchboard.Errorf(switchboard.ECONFLICT, "version %q is the one bot %s runs (its latest): make another version the latest first (POST /bots with it, or activate one in the administration), or delete the bot (DELETE /bots/%s)", version, id, id)
		}
		return absentIsDone(tx.DeleteBotVersion(ctx, id, version))
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// engineDeleteClient is the reference's DELETE /data/clients?bot_id=&
// channel_id=&user_id=: the client's erasure (its conversations, memories,
// messages and metadata, also its ended sessions' metadata). It runs under the client's lock,
// as a turn, so no turn running at the same time writes the data back; a
// client in a live livechat session is refused (409).
func (a *API) engineDeleteClient(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	if err == nil {
		err = a.engine.UpdateClient(r.Context(), key, func(tx switchboard.Tx) error { return eraseClient(r.Context(), tx, key) })
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.InfoContext(r.Context(), "engine API: client erased", "client", key)
	w.WriteHeader(http.StatusNoContent)
}

// eraseClient deletes a client's data unless it is in a live session.
func eraseClient(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey) error {
	live, err := tx.FindLiveSession(ctx, key)
	if err != nil {
		return err
	}
	if live != nil {
		return switchboard.Errorf(switchboard.ECONFLICT, "client %s is in a live livechat session (%s): end it first (the administration's Sessions page), then erase the client", key, live.ID)
	}
	return tx.DeleteClientData(ctx, key)
}

// engineCleanup is the reference's POST /data/cleanup, which deletes the
// data whose ttl_duration has passed. switchboard keeps no expiry (/run
// ignores ttl_duration), so nothing is expired: it answers 200 and deletes
// nothing. DELETE /data/clients erases a client.
func (a *API) engineCleanup(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
}
