package app

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard"
	"switchboard/httpx"
)

// Defaults of the connection limits (docs/security.md).
const (
	DefaultMaxConnsPerAddr = 256
	DefaultBodyTimeout     = 30 * time.Second
	// maxAutoConns bounds the automatic total: each connection takes memory
	// too (some 20 KiB while it reads a request).
	maxAutoConns = 50_000
	// fallbackConns is the total when the file limit is not known.
	fallbackConns = 10_000
)

// autoConns is the total of connections a file limit allows: a tenth of the
// files (at least 64) stay for the store, outgoing calls and logs.
func autoConns(files uint64) int {
	if files == 0 {
		return fallbackConns
	}
	keep := max(files/10, 64)
	if files <= keep {
		return 1
	}
	return int(min(files-keep, maxAutoConns))
}

// connLimits are the limits of the configuration, with the automatic total
// and the reserve.
func (c Config) connLimits() httpx.ConnLimits {
	lim := httpx.ConnLimits{Total: c.MaxConns, PerAddr: c.MaxConnsPerAddr}
	if lim.Total == 0 {
		lim.Total = autoConns(fileLimit())
	}
	lim.Total, lim.PerAddr = max(lim.Total, 0), max(lim.PerAddr, 0) // negative: no limit
	lim.Reserve = min(max(lim.Total/10, 8), 1000, lim.Total/2)
	return lim
}

// reserved are the requests that connections in the reserve still serve:
// probes, metrics, the desk and the administration stay reachable while a
// flood fills the server.
func reserved(r *http.Request) bool {
	switch p := r.URL.Path; {
	case p == "/healthz" || p == "/readyz" || p == "/metrics" || p == "/admin":
		return true
	default:
		return strings.HasPrefix(p, "/desk/") || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/v1/admin/")
	}
}

// refusals logs refused connections, at most once per refusalLog: a flood
// would otherwise write a line per connection.
type refusals struct {
	app  *App
	mu   sync.Mutex
	last time.Time
	n    int
}

const refusalLog = 10 * time.Second

func (r *refusals) refused(addr string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	now := time.Now() // real time: this paces log lines, whatever the clock of the tests
	if now.Sub(r.last) < refusalLog {
		return
	}
	r.app.log.Warn("connections refused (count: since the last such line)", "count", r.n, "last_from", addr, "reason", switchboard.ErrorMessage(err))
	r.last, r.n = now, 0
}
