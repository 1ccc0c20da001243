package app

import (
	"context"
	"fmt"
	"net/http"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/outbox"
	"switchboard/timers"
)

// The Gorgias platform: its driver, the endpoint its HTTP integration calls
// (GET as CSML Studio's setup does, POST for integrations set up so), and the
// job that reads a delivery back from the API, and the poll timer that
// catches up on deliveries Gorgias never retried.
func init() {
	platformBuilders = append(platformBuilders, func(a *App) (platform, error) {
		client := gorgias.New(gorgias.Options{Clock: a.cfg.Clock})
		recv := gorgias.NewReceiver(gorgias.ReceiverConfig{
			Receiver: driverkit.Receiver{Store: a.Store, Engine: a.Engine, Notifier: a.Hub, Sealer: a.keyring, Clock: a.cfg.Clock, Log: a.log},
			Client:   client, Metrics: a.metrics,
		})
		if err := recv.Arm(context.Background()); err != nil {
			return platform{}, fmt.Errorf("gorgias: %w", err)
		}
		return platform{
			name:     livechat.PlatformGorgias,
			provider: client,
			routes: map[string]http.Handler{
				"GET " + gorgias.ReceivePath:  recv,
				"POST " + gorgias.ReceivePath: recv,
			},
			jobs:   map[string]outbox.Handler{gorgias.JobSync: recv.Sync},
			timers: map[string]timers.Handler{gorgias.TimerPoll: recv.Poll},
		}, nil
	})
}
