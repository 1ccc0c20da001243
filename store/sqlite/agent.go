package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"switchboard"
)

// Agents are unique by email, compared case-insensitively: the store keeps the
// email as given and, in email_key, folded to lower case by Go (so every
// database folds the same way) under a unique index.

const agentColumns = `id, email, name, password_hash, disabled, admin, all_bots, bots, signin_generation, created_at`

// emailKey is the form in which emails are compared.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateAgent stores a new agent; an id or an email already in use is ECONFLICT.
func (t *tx) CreateAgent(ctx context.Context, a *switchboard.Agent) error {
	_, err := t.exec(ctx, `INSERT INTO agents (id, email, email_key, name, password_hash, disabled, admin,
		all_bots, bots, signin_generation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Email, emailKey(a.Email), a.Name, a.PasswordHash, boolArg(a.Disabled), boolArg(a.Admin),
		boolArg(a.AllBots), botsArg(a.Bots), a.SignInGeneration, timeArg(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("create agent: %w", agentConflict(err, a))
	}
	return nil
}

// UpdateAgent replaces a stored agent: ENOTFOUND when there is none, ECONFLICT
// when the new email belongs to another agent.
func (t *tx) UpdateAgent(ctx context.Context, a *switchboard.Agent) error {
	n, err := t.execN(ctx, `UPDATE agents SET email = ?, email_key = ?, name = ?, password_hash = ?,
		disabled = ?, admin = ?, all_bots = ?, bots = ?, signin_generation = ?, created_at = ? WHERE id = ?`,
		a.Email, emailKey(a.Email), a.Name, a.PasswordHash, boolArg(a.Disabled), boolArg(a.Admin),
		boolArg(a.AllBots), botsArg(a.Bots), a.SignInGeneration, timeArg(a.CreatedAt), a.ID)
	if err != nil {
		return fmt.Errorf("update agent: %w", agentConflict(err, a))
	}
	if n == 0 {
		return notFound("agent", a.ID)
	}
	return nil
}

// agentConflict turns a violated uniqueness into ECONFLICT.
func agentConflict(err error, a *switchboard.Agent) error {
	switch {
	case !isUnique(err):
		return err
	case strings.Contains(err.Error(), "agents.id"):
		return switchboard.Errorf(switchboard.ECONFLICT, "agent %s already exists", a.ID)
	default:
		return switchboard.Errorf(switchboard.ECONFLICT, "email %s is already in use", a.Email)
	}
}

// Agent returns one agent, or ENOTFOUND.
func (t *tx) Agent(ctx context.Context, id string) (*switchboard.Agent, error) {
	a, err := queryOne(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	if a == nil {
		return nil, notFound("agent", id)
	}
	return a, nil
}

// FindAgentByEmail matches the email case-insensitively, or returns nil.
func (t *tx) FindAgentByEmail(ctx context.Context, email string) (*switchboard.Agent, error) {
	a, err := queryOne(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents WHERE email_key = ?`, emailKey(email))
	if err != nil {
		return nil, fmt.Errorf("find agent by email: %w", err)
	}
	return a, nil
}

// ListAgents returns every agent, oldest first.
func (t *tx) ListAgents(ctx context.Context) ([]switchboard.Agent, error) {
	as, err := queryAll(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	return as, nil
}

func scanAgent(r scanner) (switchboard.Agent, error) {
	var (
		a    switchboard.Agent
		bots string
	)
	err := r.Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, boolCol{&a.Disabled}, boolCol{&a.Admin},
		boolCol{&a.AllBots}, &bots, &a.SignInGeneration, timeCol{&a.CreatedAt})
	if err == nil {
		if err = json.Unmarshal([]byte(bots), &a.Bots); err != nil {
			err = fmt.Errorf("bots of agent %s: %w", a.ID, err)
		}
	}
	return a, err
}

// botsArg stores an agent's bots as a JSON array ([] when there are none).
func botsArg(bots []string) string {
	if bots == nil {
		bots = []string{}
	}
	raw, _ := json.Marshal(bots) // strings always encode
	return string(raw)
}

// CreateLogin stores a sign-in. A token hash already stored is ECONFLICT, and
// an agent that does not exist ENOTFOUND.
func (t *tx) CreateLogin(ctx context.Context, l *switchboard.AgentLogin) error {
	_, err := t.exec(ctx, `INSERT INTO agent_logins (token_hash, agent_id, csrf_token, generation, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, l.TokenHash, l.AgentID, l.CSRFToken, l.Generation, timeArg(l.CreatedAt), l.ExpiresAt.UnixMicro())
	switch {
	case err == nil:
		return nil
	case isUnique(err):
		err = switchboard.Errorf(switchboard.ECONFLICT, "sign-in already exists")
	case isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY):
		err = notFound("agent", l.AgentID)
	}
	return fmt.Errorf("create login: %w", err)
}

// FindLogin returns the sign-in of a token hash if it expires after now and
// its agent's sign-ins were not ended since it was made, or nil.
func (t *tx) FindLogin(ctx context.Context, tokenHash string, now time.Time) (*switchboard.AgentLogin, error) {
	l, err := queryOne(ctx, t, scanLogin, `SELECT l.token_hash, l.agent_id, l.csrf_token, l.generation, l.created_at, l.expires_at
		FROM agent_logins l JOIN agents a ON a.id = l.agent_id
		WHERE l.token_hash = ? AND l.expires_at > ? AND l.generation = a.signin_generation`, tokenHash, now.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("find login: %w", err)
	}
	return l, nil
}

// DeleteLogin removes a sign-in; removing a missing one is not an error, so
// signing out twice is harmless.
func (t *tx) DeleteLogin(ctx context.Context, tokenHash string) error {
	if _, err := t.exec(ctx, `DELETE FROM agent_logins WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("delete login: %w", err)
	}
	return nil
}

func scanLogin(r scanner) (switchboard.AgentLogin, error) {
	var l switchboard.AgentLogin
	err := r.Scan(&l.TokenHash, &l.AgentID, &l.CSRFToken, &l.Generation, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt})
	return l, err
}

// ListSavedReplies returns every saved reply, oldest first.
func (t *tx) ListSavedReplies(ctx context.Context) ([]switchboard.SavedReply, error) {
	rs, err := queryAll(ctx, t, scanSavedReply, `SELECT id, title, text, created_at FROM saved_replies
		ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("list saved replies: %w", err)
	}
	return rs, nil
}

// PutSavedReply creates or replaces a saved reply.
func (t *tx) PutSavedReply(ctx context.Context, r *switchboard.SavedReply) error {
	_, err := t.exec(ctx, `INSERT INTO saved_replies (id, title, text, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, created_at = excluded.created_at`,
		r.ID, r.Title, r.Text, timeArg(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("put saved reply: %w", err)
	}
	return nil
}

// DeleteSavedReply removes a saved reply, or is ENOTFOUND.
func (t *tx) DeleteSavedReply(ctx context.Context, id string) error {
	n, err := t.execN(ctx, `DELETE FROM saved_replies WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete saved reply: %w", err)
	}
	if n == 0 {
		return notFound("saved reply", id)
	}
	return nil
}

func scanSavedReply(r scanner) (switchboard.SavedReply, error) {
	var s switchboard.SavedReply
	err := r.Scan(&s.ID, &s.Title, &s.Text, timeCol{&s.CreatedAt})
	return s, err
}
