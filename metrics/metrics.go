// Package metrics is switchboard's Prometheus monitoring, served at /metrics.
// The parts of the server call its small hooks where things happen (an
// event processed, a session ended, a message relayed, a webhook refused);
// gauges of the durable state (outbox backlog, due timers, live sessions)
// are read from the store at each scrape, so every instance reports the same
// shared numbers and the counters add up across instances.
//
// Series (all prefixed switchboard_):
//
//	turns_total{route}                     events processed: bot, livechat, duplicate, error
//	turn_seconds{route}                    time to process one (histogram)
//	relay_latency_seconds{direction}       to_agent: user message stored → platform accepted it
//	                                       (Gorgias, Chatwoot; the desk reads the store);
//	                                       to_user: agent message stored → pushed to the page or
//	                                       POSTed to the Chat API client (histogram)
//	jobs_total{kind,outcome}               outbox jobs run: done or error (retried or buried)
//	outbox_pending, outbox_dead            jobs waiting (or running), jobs given up
//	outbox_oldest_age_seconds              age of the oldest pending job
//	timers, timers_due                     durable timers, and those whose time has come
//	timers_overdue_seconds                 how late the most overdue timer is
//	sessions{state}                        live sessions: pending, active
//	sessions_started_total{platform}
//	sessions_ended_total{platform,reason}  user_ended, agent_closed, expired, error, admin_ended
//	sessions_failed_total{platform,reason} sessions that could not be opened, by the reason the bot
//	                                       got: not_configured, misconfigured, bad_credentials,
//	                                       platform_refused, platform_unreachable
//	webhook_rejects_total{platform,status} platform calls refused (bad token, signature, ticket)
//	gorgias_poll_unreadable_total          messages the Gorgias poll could not read (a datetime
//	                                       in a form it does not know); their tickets are read anyway
//	store_up                               1 when the store answered the last scrape
//
// and the queue's series, listed in queue.go.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchboard"
)

// Metrics holds one server's series in a registry of its own.
type Metrics struct {
	reg     *prometheus.Registry
	clock   switchboard.Clock
	turns   *prometheus.CounterVec
	turnDur *prometheus.HistogramVec
	relay   *prometheus.HistogramVec
	jobs    *prometheus.CounterVec
	started *prometheus.CounterVec
	ended   *prometheus.CounterVec
	failed  *prometheus.CounterVec
	rejects *prometheus.CounterVec
	// unreadable counts what the Gorgias poll could not read.
	unreadable prometheus.Counter
	csat       *csatMetrics
	queue      queueSeries
}

// latencyBuckets span 1 ms to 1 minute: relays are milliseconds when all
// is well, and seconds to minutes when a platform is down.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// New returns the metrics of a server whose durable state is in store.
func New(store switchboard.Store, clock switchboard.Clock) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), clock: clock}
	m.turns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_turns_total",
		Help: "Events processed, by route: bot, livechat, duplicate, error."}, []string{"route"})
	m.turnDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_turn_seconds",
		Help: "Time to process one event, by route.", Buckets: latencyBuckets}, []string{"route"})
	m.relay = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_relay_latency_seconds",
		Help:    "From a livechat message stored to its delivery: to_agent (platform accepted it), to_user (pushed or POSTed).",
		Buckets: latencyBuckets}, []string{"direction"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_jobs_total",
		Help: "Outbox jobs run, by kind and outcome (done, error)."}, []string{"kind", "outcome"})
	m.started = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_sessions_started_total",
		Help: "Livechat sessions started, by platform."}, []string{"platform"})
	m.ended = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_sessions_ended_total",
		Help: "Livechat sessions ended, by platform and reason."}, []string{"platform", "reason"})
	m.failed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_sessions_failed_total",
		Help: "Livechat sessions that could not be opened, by platform and the reason the bot got."}, []string{"platform", "reason"})
	m.rejects = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_webhook_rejects_total",
		Help: "Calls of livechat platforms refused, by platform and HTTP status."}, []string{"platform", "status"})
	m.unreadable = prometheus.NewCounter(prometheus.CounterOpts{Name: "switchboard_gorgias_poll_unreadable_total",
		Help: "Messages the Gorgias poll could not read (their tickets are read anyway)."})
	// The series of known labels exist from the start, at zero.
	for _, route := range []string{"bot", "livechat", "duplicate", "error"} {
		m.turns.WithLabelValues(route)
		m.turnDur.WithLabelValues(route)
	}
	for _, d := range []string{"to_agent", "to_user"} {
		m.relay.WithLabelValues(d)
	}
	m.reg.MustRegister(m.turns, m.turnDur, m.relay, m.jobs, m.started, m.ended, m.failed, m.rejects, m.unreadable,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{store: store, clock: clock})
	m.csat = newCSATMetrics(m.reg)
	m.queue = newQueueSeries(m.reg)
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// CounterFunc adds a counter read from f at each scrape.
func (m *Metrics) CounterFunc(name, help string, f func() float64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// Event counts an event the engine processed (engine.Metrics).
func (m *Metrics) Event(route string, took time.Duration) {
	m.turns.WithLabelValues(route).Inc()
	m.turnDur.WithLabelValues(route).Observe(took.Seconds())
}

// SessionStarted counts a livechat session started (engine.Metrics).
func (m *Metrics) SessionStarted(platform string) { m.started.WithLabelValues(platform).Inc() }

// SessionEnded counts a livechat session ended (engine.Metrics).
func (m *Metrics) SessionEnded(platform string, reason switchboard.EndReason) {
	m.ended.WithLabelValues(platform, string(reason)).Inc()
}

// SessionFailed counts a livechat session that could not be opened
// (engine.Metrics).
func (m *Metrics) SessionFailed(platform, reason string) {
	m.failed.WithLabelValues(platform, reason).Inc()
}

// GorgiasPollUnreadable counts a message the Gorgias poll could not read
// (gorgias.Metrics).
func (m *Metrics) GorgiasPollUnreadable() { m.unreadable.Inc() }

// Pushed observes the relay latency of an agent's message sent to a page.
func (m *Metrics) Pushed(msg *switchboard.Message) {
	if msg.Sender.Kind == switchboard.SenderAgent && !msg.CreatedAt.IsZero() {
		m.relay.WithLabelValues("to_user").Observe(m.clock.Now().Sub(msg.CreatedAt).Seconds())
	}
}

// Handler is an outbox job handler.
type Handler = func(ctx context.Context, j switchboard.Job) error

// Job counts the runs of an outbox job kind. With a direction, a job that
// succeeds also observes the relay latency of the message it delivered: its
// job was created with the message, in the same transaction.
func (m *Metrics) Job(kind, direction string, h Handler) Handler {
	return func(ctx context.Context, j switchboard.Job) error {
		err := h(ctx, j)
		if err != nil {
			m.jobs.WithLabelValues(kind, "error").Inc()
			return err
		}
		m.jobs.WithLabelValues(kind, "done").Inc()
		if direction != "" {
			m.relay.WithLabelValues(direction).Observe(m.clock.Now().Sub(j.CreatedAt).Seconds())
		}
		return nil
	}
}
