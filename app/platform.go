package app

import (
	"context"
	"net/http"

	"switchboard/livechat"
	"switchboard/outbox"
	"switchboard/timers"
)

// platform is a livechat platform beyond the built-in desk, as the server
// runs it: its driver, the routes it receives webhooks on, and the outbox
// jobs it runs.
type platform struct {
	name     string
	provider livechat.Provider
	// routes are mux patterns ("POST /v1/livechat/gorgias/receive") and
	// their handlers.
	routes map[string]http.Handler
	jobs   map[string]outbox.Handler
	// timers are the handlers of the durable timers it sets.
	timers map[string]timers.Handler
	// stop, when set, ends what the platform runs in the background.
	stop func(context.Context) error
}

// platformBuilders make the platforms; each platform's file in this package
// adds its builder, so that platforms are added without touching each other.
var platformBuilders []func(a *App) (platform, error)
