package switchboard

import (
	"slices"
	"time"
)

// Agent is a human who answers livechat sessions in the built-in desk.
type Agent struct {
	ID           string `json:"id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
	// Admin agents may also use the administration pages and API, and see
	// every bot's sessions.
	Admin bool `json:"admin"`
	// AllBots lets the agent see the desk sessions of every bot; otherwise
	// the agent sees only those of the bots in Bots (none when it is empty).
	// Agents made before scopes existed, and agents invited without bots,
	// see all bots.
	AllBots bool     `json:"all_bots"`
	Bots    []string `json:"bots"`
	// SignInGeneration grows each time the agent's sign-ins are ended
	// (disabled, signed out everywhere, password changed): a sign-in made
	// under an older generation is no longer valid.
	SignInGeneration int64     `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
}

// SeesBot reports whether the agent may see and answer the desk sessions of
// a bot.
func (a *Agent) SeesBot(botID string) bool {
	return a.Admin || a.AllBots || slices.Contains(a.Bots, botID)
}

// SeesAllBots reports whether the agent sees the sessions of every bot.
func (a *Agent) SeesAllBots() bool { return a.Admin || a.AllBots }

// AgentLogin is a signed-in browser session of an agent. Only a hash of the
// cookie token is stored; CSRFToken is sent back on state-changing requests.
type AgentLogin struct {
	TokenHash string `json:"-"`
	AgentID   string `json:"agent_id"`
	CSRFToken string `json:"-"`
	// Generation is the agent's SignInGeneration when the sign-in was made;
	// the sign-in holds only while the agent's is the same.
	Generation int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// SavedReply is a canned answer agents insert with one click.
type SavedReply struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
