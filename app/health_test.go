package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestReadyzFailsWhenShuttingDownOrTheStoreIsGone(t *testing.T) {
	a, err := New(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	probe := func(path string) int {
		w := httptest.NewRecorder()
		a.Handler().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w.Code
	}
	if code := probe("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz of a running server = %d", code)
	}
	a.stopping.Store(true)
	if code := probe("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while shutting down = %d, want 503", code)
	}
	a.stopping.Store(false)
	a.Store.Close()
	if code := probe("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the store closed = %d, want 503", code)
	}
	if code := probe("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d: the process is up", code)
	}
}
