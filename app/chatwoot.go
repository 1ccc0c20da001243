package app

import (
	"context"
	"fmt"
	"net/http"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot"
	"switchboard/outbox"
	"switchboard/timers"
)

// The Chatwoot platform: its driver, the endpoint its API inboxes' webhooks
// call, the job that reads a delivery back from the API, and the poll
// timer that catches up on deliveries Chatwoot never retried.
func init() {
	platformBuilders = append(platformBuilders, func(a *App) (platform, error) {
		client := chatwoot.New(chatwoot.Options{Clock: a.cfg.Clock})
		recv := chatwoot.NewReceiver(chatwoot.ReceiverConfig{
			Receiver: driverkit.Receiver{Store: a.Store, Engine: a.Engine, Notifier: a.Hub, Sealer: a.keyring, Clock: a.cfg.Clock, Log: a.log},
			Client:   client,
		})
		if err := recv.Arm(context.Background()); err != nil {
			return platform{}, fmt.Errorf("chatwoot: %w", err)
		}
		return platform{
			name:     livechat.PlatformChatwoot,
			provider: client,
			routes:   map[string]http.Handler{"POST " + chatwoot.ReceivePath: recv},
			jobs:     map[string]outbox.Handler{chatwoot.JobSync: recv.Sync},
			timers:   map[string]timers.Handler{chatwoot.TimerPoll: recv.Poll},
		}, nil
	})
}
