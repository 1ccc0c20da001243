package switchboard

import (
	"context"
	"time"
)

// CSATState is where a satisfaction survey stands.
type CSATState string

// The states of a survey: asked (the question was sent), rated (the user
// rated; a comment may follow), done (nothing more is taken).
const (
	CSATAsked CSATState = "asked"
	CSATRated CSATState = "rated"
	CSATDone  CSATState = "done"
)

// CSATAnswer is the satisfaction survey of one livechat session: who
// answered it (agent, team) and what the user said.
type CSATAnswer struct {
	SessionID string    `json:"session_id"`
	Client    ClientKey `json:"client"`
	Platform  string    `json:"platform"`
	AgentID   string    `json:"agent_id,omitempty"`
	AgentName string    `json:"agent_name,omitempty"`
	Team      string    `json:"team,omitempty"`
	State     CSATState `json:"state"`
	// Rating is 1 to 5; 0 while the user has not rated.
	Rating     int        `json:"rating"`
	Comment    string     `json:"comment,omitempty"`
	AskedAt    time.Time  `json:"asked_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// CSATFilter selects surveys asked in [Since, Until) (zero bounds are
// open), of one bot when BotID is set.
type CSATFilter struct {
	BotID        string
	Since, Until time.Time
	Limit        int
}

// CSATSummary counts the ratings of one bot, agent and team.
type CSATSummary struct {
	BotID     string `json:"bot_id"`
	AgentID   string `json:"agent_id"`
	AgentName string `json:"agent_name"`
	Team      string `json:"team"`
	// Asked counts the surveys sent; Ratings[i] the ratings of i+1.
	Asked   int    `json:"asked"`
	Ratings [5]int `json:"ratings"`
}

// Rated counts the surveys answered.
func (s CSATSummary) Rated() int {
	n := 0
	for _, c := range s.Ratings {
		n += c
	}
	return n
}

// Average is the mean rating, 0 when nobody rated.
func (s CSATSummary) Average() float64 {
	n, sum := 0, 0
	for i, c := range s.Ratings {
		n += c
		sum += (i + 1) * c
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// CSATStore keeps satisfaction surveys.
type CSATStore interface {
	// PutCSAT creates or replaces the survey of a session.
	PutCSAT(ctx context.Context, a *CSATAnswer) error
	// FindOpenCSAT returns the client's newest survey that still takes an
	// answer (asked or rated), or nil.
	FindOpenCSAT(ctx context.Context, key ClientKey) (*CSATAnswer, error)
	// ListCSAT returns matching surveys, newest first.
	ListCSAT(ctx context.Context, f CSATFilter) ([]CSATAnswer, error)
	// CSATSummaries counts matching surveys per bot, agent and team, by
	// bot, team and agent name.
	CSATSummaries(ctx context.Context, f CSATFilter) ([]CSATSummary, error)
}

// PresenceStatus is what a desk agent told the desk about being there.
type PresenceStatus string

// The statuses a desk agent sets.
const (
	PresenceOnline  PresenceStatus = "online"
	PresenceAway    PresenceStatus = "away"
	PresenceOffline PresenceStatus = "offline"
)

// AgentPresence is a desk agent's status and when the agent last used the
// desk: an online agent idle for long enough counts as away.
type AgentPresence struct {
	AgentID  string         `json:"agent_id"`
	Status   PresenceStatus `json:"status"`
	ActiveAt time.Time      `json:"active_at"`
}

// Effective is the status at now for an agent idle after idle: online
// becomes away once the agent has not used the desk for that long.
func (p AgentPresence) Effective(now time.Time, idle time.Duration) PresenceStatus {
	if p.Status == PresenceOnline && now.Sub(p.ActiveAt) >= idle {
		return PresenceAway
	}
	if p.Status == "" {
		return PresenceOffline
	}
	return p.Status
}

// PresenceStore keeps desk agents' presence and the values agents hand
// back to bots.
type PresenceStore interface {
	// PutPresence creates or replaces an agent's presence.
	PutPresence(ctx context.Context, p AgentPresence) error
	// ListPresence returns every agent's presence that was ever set.
	ListPresence(ctx context.Context) ([]AgentPresence, error)
	// PutHandback replaces the values agents handed back to the bot in a
	// session (see livechat.Handback).
	PutHandback(ctx context.Context, sessionID string, values map[string]string) error
	// Handback returns them, nil when none were.
	Handback(ctx context.Context, sessionID string) (map[string]string, error)
}
