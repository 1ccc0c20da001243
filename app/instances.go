package app

import (
	"context"
	"errors"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/hub/pgnotify"
	"switchboard/worker"
)

// What several instances on one PostgreSQL database share besides the
// store: their notifications (the fan-out) and the in-memory copies of
// what the administration changes (the syncer). See docs/scaling.md.

// startFanout joins the hub to the other instances' when the store is
// PostgreSQL; on SQLite the server is alone and the hub is enough.
func (a *App) startFanout(ctx context.Context) error {
	if a.db.pg == nil {
		return nil
	}
	f, err := pgnotify.Start(ctx, a.db.pg.Pool(), a.db.pg.Schema(), a.Hub, a.log)
	if err != nil {
		return err
	}
	a.fanout = f
	for _, c := range []struct {
		name, help string
		count      func(pgnotify.Stats) int64
	}{
		{"switchboard_fanout_published_total", "Notifications sent to the other instances.", func(s pgnotify.Stats) int64 { return s.Published }},
		{"switchboard_fanout_received_total", "Notifications received from the other instances.", func(s pgnotify.Stats) int64 { return s.Received }},
		{"switchboard_fanout_failures_total", "Notifications that could not be sent at once (sent again).", func(s pgnotify.Stats) int64 { return s.Failures }},
		{"switchboard_fanout_reconnects_total", "Times the listening connection was opened again.", func(s pgnotify.Stats) int64 { return s.Reconnects }},
	} {
		a.metrics.CounterFunc(c.name, c.help, func() float64 { return float64(c.count(f.Stats())) })
	}
	return nil
}

// closeFanout stops relaying notifications, if it was.
func (a *App) closeFanout() error {
	if a.fanout == nil {
		return nil
	}
	f := a.fanout
	a.fanout = nil
	return f.Close()
}

// relayDirection names the outbox jobs that deliver a livechat message, for
// the relay latency metric.
var relayDirection = map[string]string{engine.JobSend: "to_agent", engine.JobCallback: "to_user", engine.JobChannelSend: "to_user"}

// lockName serialises, across instances, transactions that create
// something once (an instance secret, a bot's chat page): it takes the
// store's client lock on a name no client can have (client ids may not
// contain '/').
func lockName(ctx context.Context, tx switchboard.Tx, name string) error {
	return tx.LockClient(ctx, switchboard.ClientKey{BotID: "switchboard/instance", ChannelID: "lock", UserID: name})
}

// syncer keeps this instance's memory in step with what other instances
// change through the administration: on TopicBots it loads the bots'
// latest versions from the store (and unloads deleted bots); on
// TopicChannels it forgets the API keys it remembers.
type syncer struct {
	bots, keys *worker.Loop
}

func newSyncer(a *App) *syncer {
	const idle = time.Hour // only hints matter; the poll is a safety net
	return &syncer{
		bots: worker.NewLoop(func(ctx context.Context) time.Duration {
			if err := a.reloadBots(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("reload bots changed by another instance", "err", err)
				return time.Second
			}
			return idle
		}, a.Hub, switchboard.TopicBots, idle),
		keys: worker.NewLoop(func(context.Context) time.Duration {
			a.api.ForgetKeys()
			return idle
		}, a.Hub, switchboard.TopicChannels, idle),
	}
}

func (s *syncer) Start(ctx context.Context) {
	s.bots.Start(ctx)
	s.keys.Start(ctx)
}

func (s *syncer) Stop(ctx context.Context) error {
	return errors.Join(s.bots.Stop(ctx), s.keys.Stop(ctx))
}

// reloadBots loads every stored bot whose latest version is not the one
// running, and unloads the bots no longer stored.
func (a *App) reloadBots(ctx context.Context) error {
	stored, err := a.storedBots(ctx)
	if err != nil {
		return err
	}
	bots := a.Engine.Bots()
	keep := make(map[string]bool, len(stored))
	for _, v := range stored {
		keep[v.Bot.ID] = true
		if b, ok := bots.Get(v.Bot.ID); ok && b.Version.VersionID == v.VersionID {
			continue
		}
		if _, err := bots.Put(v); err != nil {
			a.log.Error("stored bot does not compile; the running version stays", "bot", v.Bot.ID, "version", v.VersionID, "err", err)
			continue
		}
		a.log.Info("bot loaded", "bot", v.Bot.ID, "version", v.VersionID)
	}
	for _, b := range bots.List() {
		if id := b.Version.Bot.ID; !keep[id] {
			bots.Remove(id)
			a.log.Info("bot unloaded", "bot", id)
		}
	}
	return nil
}
