package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
)

// scrape returns the metrics in the text format.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	return string(body)
}

// failingStore is a store whose reads fail, as an unreachable database's.
type failingStore struct{ switchboard.Store }

func (failingStore) View(context.Context, func(switchboard.Tx) error) error {
	return errors.New("unreachable")
}

func TestHooksCountWhatTheyAreTold(t *testing.T) {
	clock := testclock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	m := New(failingStore{}, clock)
	created := clock.Now()
	clock.Advance(30 * time.Millisecond)

	send := m.Job("livechat.send", "to_agent", func(context.Context, switchboard.Job) error { return nil })
	fail := m.Job("livechat.send", "to_agent", func(context.Context, switchboard.Job) error { return errors.New("down") })
	_ = send(context.Background(), switchboard.Job{CreatedAt: created})
	_ = fail(context.Background(), switchboard.Job{CreatedAt: created})
	m.Pushed(&switchboard.Message{Sender: switchboard.Sender{Kind: switchboard.SenderAgent}, CreatedAt: created})
	m.Pushed(&switchboard.Message{Sender: switchboard.Sender{Kind: switchboard.SenderBot}, CreatedAt: created})
	hook := m.Webhook("gorgias", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != "good" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	for _, token := range []string{"good", "bad", "bad"} {
		hook.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/?token="+token, nil))
	}
	body := scrape(t, m)
	for _, want := range []string{
		`switchboard_jobs_total{kind="livechat.send",outcome="done"} 1`,
		`switchboard_jobs_total{kind="livechat.send",outcome="error"} 1`,
		`switchboard_relay_latency_seconds_bucket{direction="to_agent",le="0.025"} 0`,
		`switchboard_relay_latency_seconds_bucket{direction="to_agent",le="0.05"} 1`,
		`switchboard_relay_latency_seconds_count{direction="to_user"} 1`,
		`switchboard_webhook_rejects_total{platform="gorgias",status="401"} 2`,
		`switchboard_store_up 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
