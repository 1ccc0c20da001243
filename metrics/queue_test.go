package metrics

import (
	"strings"
	"testing"
	"time"

	"switchboard/internal/testclock"
)

func TestQueueSeriesByBotTeamAndAgent(t *testing.T) {
	m := New(failingStore{}, testclock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	m.SessionClaimed("shop", "billing", 40*time.Second)
	m.SessionClaimed("shop", "", 3*time.Minute)
	m.SessionAbandoned("shop", "billing")
	m.FirstResponse("shop", "billing", "a1", 50*time.Second)
	m.SessionHandled("shop", "billing", "a1", 10*time.Minute)
	body := scrape(t, m)
	for _, want := range []string{
		`switchboard_queue_wait_seconds_bucket{bot="shop",team="billing",le="30"} 0`,
		`switchboard_queue_wait_seconds_bucket{bot="shop",team="billing",le="60"} 1`,
		`switchboard_queue_wait_seconds_sum{bot="shop",team=""} 180`,
		`switchboard_queue_abandoned_total{bot="shop",team="billing"} 1`,
		`switchboard_first_response_seconds_count{agent="a1",bot="shop",team="billing"} 1`,
		`switchboard_handling_seconds_sum{agent="a1",bot="shop",team="billing"} 600`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
