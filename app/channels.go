package app

import (
	"context"

	"switchboard/channel"
	"switchboard/channel/chatwoot"
	"switchboard/channel/messenger"
	"switchboard/channel/slack"
	"switchboard/channel/teams"
	"switchboard/channel/telegram"
	"switchboard/channel/twilio"
	"switchboard/channel/whatsapp"
	"switchboard/outbox"
)

// newChannels builds the messaging channel layer with its drivers, and
// adds its jobs to jobs. Its media URLs are signed with an instance secret
// of their own.
func (a *App) newChannels(ctx context.Context, jobs map[string]outbox.Handler) error {
	key, err := a.secret(ctx, "instance:channel_media")
	if err != nil {
		return err
	}
	a.channels = channel.New(channel.Config{
		Store: a.Store, Engine: a.Engine, Notifier: a.Hub, Sealer: a.keyring, Clock: a.cfg.Clock, Log: a.log,
		PublicURL: a.URL(), MediaKey: key, Drivers: []channel.Driver{whatsapp.Driver{}, telegram.Driver{}, messenger.Driver{}, messenger.Driver{Instagram: true}, twilio.Driver{}, chatwoot.Driver{}, teams.Driver{}, slack.Driver{Clock: a.cfg.Clock}},
	})
	for kind, h := range a.channels.JobHandlers() {
		jobs[kind] = h
	}
	return nil
}
