package app

import (
	"context"
	"net/http"
	"time"

	"switchboard/httpx"
)

// readyTimeout bounds the store check of one readiness probe.
const readyTimeout = 2 * time.Second

// readyz answers whether this instance should get traffic: 200 when the
// store answers and has every migration the program needs, 503 when it does
// not or when the server is shutting down. (/healthz only says the process
// is up.) The reason is logged, not answered: probes may come from outside.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	if a.stopping.Load() {
		httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := a.db.Check(ctx); err != nil {
		a.log.WarnContext(r.Context(), "not ready: the store check failed", "store", a.db.Kind, "err", err)
		httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unavailable"})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
