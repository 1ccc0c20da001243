package switchboard

import "time"

// Agent is a human who answers livechat sessions in the built-in desk.
type Agent struct {
	ID           string `json:"id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
	// Admin agents may also use the administration pages and API.
	Admin     bool      `json:"admin"`
	CreatedAt time.Time `json:"created_at"`
}

// AgentLogin is a signed-in browser session of an agent. Only a hash of the
// cookie token is stored; CSRFToken is sent back on state-changing requests.
type AgentLogin struct {
	TokenHash string    `json:"-"`
	AgentID   string    `json:"agent_id"`
	CSRFToken string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SavedReply is a canned answer agents insert with one click.
type SavedReply struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
