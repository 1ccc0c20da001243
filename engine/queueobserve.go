package engine

import (
	"time"

	"switchboard"
)

// QueueMetrics is told how long customers wait and agents take. A Metrics
// that also implements it (package metrics does) gets these measures,
// after the commit of what they measure, labelled by bot, team ("" for the
// general queue) and agent.
type QueueMetrics interface {
	// SessionClaimed: an agent took a session after it waited this long.
	SessionClaimed(botID, team string, waited time.Duration)
	// SessionAbandoned: the customer left (ended or went silent until the
	// session expired) before anyone took the session.
	SessionAbandoned(botID, team string)
	// FirstResponse: the first agent message came this long after the
	// session started.
	FirstResponse(botID, team, agent string, took time.Duration)
	// SessionHandled: a session ended this long after it was claimed.
	SessionHandled(botID, team, agent string, took time.Duration)
}

// queueMetrics calls fn with the engine's QueueMetrics, if it has them,
// after the turn commits.
func (t *turn) queueMetrics(fn func(QueueMetrics)) {
	m, ok := t.e.metrics.(QueueMetrics)
	if !ok {
		return
	}
	t.fx.after = append(t.fx.after, func() { fn(m) })
}

// AgentLabel names a session's agent in measures: the id when the platform
// gives one, else the name.
func AgentLabel(s *switchboard.Session) string {
	if s.AgentID != "" {
		return s.AgentID
	}
	return s.AgentName
}

func (t *turn) sessionClaimed(s *switchboard.Session) {
	bot, team, waited := s.Client.BotID, s.Team, s.ClaimedAt.Sub(s.CreatedAt)
	t.queueMetrics(func(m QueueMetrics) { m.SessionClaimed(bot, team, waited) })
}

func (t *turn) firstResponse(s *switchboard.Session) {
	bot, team, agent, took := s.Client.BotID, s.Team, AgentLabel(s), s.FirstReplyAt.Sub(s.CreatedAt)
	t.queueMetrics(func(m QueueMetrics) { m.FirstResponse(bot, team, agent, took) })
}

// queueEnded measures a session that ended: handled when it was claimed,
// abandoned when the customer left while waiting.
func (t *turn) queueEnded(s *switchboard.Session, wasWaiting bool) {
	bot, team, agent := s.Client.BotID, s.Team, AgentLabel(s)
	switch {
	case s.ClaimedAt != nil:
		took := s.EndedAt.Sub(*s.ClaimedAt)
		t.queueMetrics(func(m QueueMetrics) { m.SessionHandled(bot, team, agent, took) })
	case wasWaiting && (s.EndReason == switchboard.EndUser || s.EndReason == switchboard.EndExpired):
		t.queueMetrics(func(m QueueMetrics) { m.SessionAbandoned(bot, team) })
	}
}
