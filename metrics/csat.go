package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// csatMetrics count the satisfaction surveys asked and their ratings.
type csatMetrics struct {
	asked   *prometheus.CounterVec
	ratings *prometheus.CounterVec
}

func newCSATMetrics(reg *prometheus.Registry) *csatMetrics {
	c := &csatMetrics{
		asked: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_csat_surveys_total",
			Help: "Satisfaction surveys sent after a livechat session, by bot."}, []string{"bot"}),
		ratings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_csat_ratings_total",
			Help: "Satisfaction ratings (1 to 5) users gave, by bot, team, agent (id) and rating."}, []string{"bot", "team", "agent", "rating"}),
	}
	reg.MustRegister(c.asked, c.ratings)
	return c
}

// CSATAsked counts a survey sent (engine.CSATMetrics).
func (m *Metrics) CSATAsked(botID string) { m.csat.asked.WithLabelValues(botID).Inc() }

// CSATRated counts a rating (engine.CSATMetrics).
func (m *Metrics) CSATRated(botID, team, agentID string, rating int) {
	m.csat.ratings.WithLabelValues(botID, team, agentID, strconv.Itoa(rating)).Inc()
}
