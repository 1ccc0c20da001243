package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The queue's series (engine.QueueMetrics), labelled by bot, team ("" for
// the general queue) and, once an agent has the session, agent (the id, or
// the name where the platform gives no id):
//
//	queue_wait_seconds{bot,team}                 start → claim (histogram)
//	queue_abandoned_total{bot,team}              customers who left before a claim
//	first_response_seconds{bot,team,agent}       start → first agent message (histogram)
//	handling_seconds{bot,team,agent}             claim → end (histogram)
type queueSeries struct {
	wait      *prometheus.HistogramVec
	abandoned *prometheus.CounterVec
	first     *prometheus.HistogramVec
	handling  *prometheus.HistogramVec
}

// waitBuckets span 5 seconds to 4 hours: queues, first answers and whole
// conversations.
var waitBuckets = []float64{5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400}

// newQueueSeries makes the queue's series and registers them.
func newQueueSeries(reg *prometheus.Registry) queueSeries {
	q := queueSeries{
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_queue_wait_seconds",
			Help: "Time in queue: from a livechat session's start to its claim, by bot and team.", Buckets: waitBuckets}, []string{"bot", "team"}),
		abandoned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_queue_abandoned_total",
			Help: "Customers who left (ended or let the session expire) before an agent claimed it, by bot and team."}, []string{"bot", "team"}),
		first: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_first_response_seconds",
			Help: "From a livechat session's start to the first agent message, by bot, team and agent.", Buckets: waitBuckets}, []string{"bot", "team", "agent"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_handling_seconds",
			Help: "From a livechat session's claim to its end, by bot, team and agent.", Buckets: waitBuckets}, []string{"bot", "team", "agent"}),
	}
	reg.MustRegister(q.wait, q.abandoned, q.first, q.handling)
	return q
}

// SessionClaimed observes a session's time in queue (engine.QueueMetrics).
func (m *Metrics) SessionClaimed(bot, team string, waited time.Duration) {
	m.queue.wait.WithLabelValues(bot, team).Observe(waited.Seconds())
}

// SessionAbandoned counts a customer who left before a claim
// (engine.QueueMetrics).
func (m *Metrics) SessionAbandoned(bot, team string) {
	m.queue.abandoned.WithLabelValues(bot, team).Inc()
}

// FirstResponse observes the time to a session's first agent message
// (engine.QueueMetrics).
func (m *Metrics) FirstResponse(bot, team, agent string, took time.Duration) {
	m.queue.first.WithLabelValues(bot, team, agent).Observe(took.Seconds())
}

// SessionHandled observes a claimed session's handling time
// (engine.QueueMetrics).
func (m *Metrics) SessionHandled(bot, team, agent string, took time.Duration) {
	m.queue.handling.WithLabelValues(bot, team, agent).Observe(took.Seconds())
}
