package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard"
)

// scrapeTimeout bounds the store read of one scrape.
const scrapeTimeout = 2 * time.Second

var (
	outboxPending = prometheus.NewDesc("switchboard_outbox_pending", "Outbox jobs waiting or running.", nil, nil)
	outboxDead    = prometheus.NewDesc("switchboard_outbox_dead", "Outbox jobs given up (dead letters).", nil, nil)
	outboxAge     = prometheus.NewDesc("switchboard_outbox_oldest_age_seconds", "Age of the oldest pending outbox job (0 when none).", nil, nil)
	timersTotal   = prometheus.NewDesc("switchboard_timers", "Durable timers set (livechat expiries, platform polls).", nil, nil)
	timersDue     = prometheus.NewDesc("switchboard_timers_due", "Timers whose time has come, being fired or waiting for a worker.", nil, nil)
	timersLate    = prometheus.NewDesc("switchboard_timers_overdue_seconds", "How late the most overdue timer is (0 when none).", nil, nil)
	sessionsLive  = prometheus.NewDesc("switchboard_sessions", "Live livechat sessions, by state.", []string{"state"}, nil)
	storeUp       = prometheus.NewDesc("switchboard_store_up", "1 when the store answered the scrape's reads.", nil, nil)
)

// stateCollector reads the gauges of the durable state from the store, in
// one snapshot per scrape.
type stateCollector struct {
	store switchboard.Store
	clock switchboard.Clock
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxPending, outboxDead, outboxAge, timersTotal, timersDue, timersLate, sessionsLive, storeUp} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.clock.Now()
	var (
		jobs   switchboard.JobStats
		timers switchboard.TimerStats
		live   map[switchboard.SessionState]int
	)
	err := c.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if jobs, err = tx.JobStats(ctx); err != nil {
			return err
		}
		if timers, err = tx.TimerStats(ctx, now); err != nil {
			return err
		}
		live, err = tx.CountLiveSessions(ctx)
		return err
	})
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if err != nil {
		gauge(storeUp, 0)
		return
	}
	gauge(storeUp, 1)
	gauge(outboxPending, float64(jobs.Pending))
	gauge(outboxDead, float64(jobs.Dead))
	gauge(outboxAge, age(now, jobs.Oldest))
	gauge(timersTotal, float64(timers.Total))
	gauge(timersDue, float64(timers.Due))
	gauge(timersLate, age(now, timers.OldestDue))
	for state, n := range live {
		gauge(sessionsLive, float64(n), string(state))
	}
}

// age is how long ago t was, in seconds; 0 for the zero time.
func age(now, t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return max(0, now.Sub(t).Seconds())
}
