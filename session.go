package switchboard

import (
	"encoding/json"
	"time"
)

// The payloads that drive livechat, as CSML Studio defines them, plus our own
// LIVECHAT_SESSION_ERROR for a session that could not be opened and
// LIVECHAT_SESSION_UNAVAILABLE for one that nobody could take.
const (
	PayloadSessionStart   = "LIVECHAT_SESSION_START"
	PayloadSessionEnd     = "LIVECHAT_SESSION_END"
	PayloadSessionExpired = "LIVECHAT_SESSION_EXPIRED"
	PayloadSessionError   = "LIVECHAT_SESSION_ERROR"
	// PayloadSessionUnavailable tells the bot that a session did not open
	// because nobody is there (its settings say refuse): ours too.
	PayloadSessionUnavailable = "LIVECHAT_SESSION_UNAVAILABLE"
)

// SessionState is where a livechat session stands.
type SessionState string

// The states of a livechat session.
const (
	SessionPending SessionState = "pending" // asked for, ticket being opened
	SessionActive  SessionState = "active"  // the platform confirmed the ticket
	SessionEnded   SessionState = "ended"
)

// EndReason records why a session ended.
type EndReason string

// The reasons a session ends.
const (
	EndUser    EndReason = "user_ended"
	EndAgent   EndReason = "agent_closed"
	EndExpired EndReason = "expired"
	EndError   EndReason = "error"
	EndAdmin   EndReason = "admin_ended"
	// EndTimeout: nobody claimed the session within the bot's wait limit.
	EndTimeout EndReason = "timeout"
)

// Session is a period during which a client's messages go to human agents.
type Session struct {
	ID       string       `json:"id"`
	Client   ClientKey    `json:"client"`
	Platform string       `json:"platform"`
	State    SessionState `json:"state"`
	// EndReason and Error are set once the session has ended.
	EndReason EndReason `json:"end_reason,omitempty"`
	Error     string    `json:"error,omitempty"`
	// ExternalID is the platform's reference (ticket id, conversation id).
	ExternalID string `json:"external_id,omitempty"`
	// AgentID and AgentName are the agent who claimed or last answered the session.
	AgentID   string          `json:"agent_id,omitempty"`
	AgentName string          `json:"agent_name,omitempty"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
	// Routing is what the bot chose for the session (team, priority, tags,
	// a note for the agent), from its livechat memory at start.
	Routing
	// ClaimedAt is when an agent took the session: the desk's claim, the
	// platform's assignment, or the first agent message. Nil while waiting.
	ClaimedAt *time.Time `json:"claimed_at,omitempty"`
	// QueuePosition (1 = next) and QueueWait (the estimated wait) are what
	// the customer was last told while waiting; zero when not known.
	QueuePosition int           `json:"queue_position,omitempty"`
	QueueWait     time.Duration `json:"queue_wait,omitempty"`
	// Timeout is the inactivity window this session was opened with.
	Timeout        time.Duration `json:"timeout"`
	CreatedAt      time.Time     `json:"created_at"`
	ActivatedAt    *time.Time    `json:"activated_at,omitempty"`
	FirstReplyAt   *time.Time    `json:"first_reply_at,omitempty"`
	LastActivityAt time.Time     `json:"last_activity_at"`
	EndedAt        *time.Time    `json:"ended_at,omitempty"`
}

// Live reports whether the session still takes the client's messages.
func (s *Session) Live() bool { return s.State == SessionPending || s.State == SessionActive }

// Deadline is when the session expires if nothing more is exchanged.
func (s *Session) Deadline() time.Time { return s.LastActivityAt.Add(s.Timeout) }

// Routing is where a session waits and what the agent learns first: the
// team whose queue it joins ("" = the general queue), its priority (low,
// normal, high, urgent; "" = normal), tags, and a note.
type Routing struct {
	Team     string   `json:"team,omitempty"`
	Priority string   `json:"priority,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Priorities a bot may give a session, lowest first.
var Priorities = []string{"low", "normal", "high", "urgent"}

// Waiting reports whether the session is live and nobody claimed it yet.
func (s *Session) Waiting() bool { return s.Live() && s.ClaimedAt == nil }
