package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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
	n, err := t.exec(ctx, `INSERT INTO agents (id, email, email_key, name, password_hash, disabled, admin,
		all_bots, bots, signin_generation, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
		a.ID, a.Email, emailKey(a.Email), a.Name, a.PasswordHash, a.Disabled, a.Admin,
		a.AllBots, botsArg(a.Bots), a.SignInGeneration, timeArg(a.CreatedAt))
	if err == nil && n == 0 || isCode(err, codeUnique) {
		return t.agentConflict(ctx, "create agent", a)
	}
	return wrap("create agent", err)
}

// UpdateAgent replaces a stored agent: ENOTFOUND when there is none, ECONFLICT
// (changing nothing) when the new email belongs to another agent.
func (t *tx) UpdateAgent(ctx context.Context, a *switchboard.Agent) error {
	n, err := t.exec(ctx, `UPDATE agents SET email = $1, email_key = $2, name = $3, password_hash = $4,
		disabled = $5, admin = $6, all_bots = $7, bots = $8, signin_generation = $9, created_at = $10
		WHERE id = $11 AND NOT EXISTS (SELECT 1 FROM agents o WHERE o.email_key = $2 AND o.id <> $11)`,
		a.Email, emailKey(a.Email), a.Name, a.PasswordHash, a.Disabled, a.Admin,
		a.AllBots, botsArg(a.Bots), a.SignInGeneration, timeArg(a.CreatedAt), a.ID)
	if err == nil && n == 0 || isCode(err, codeUnique) {
		return t.agentConflict(ctx, "update agent", a)
	}
	return wrap("update agent", err)
}

// agentConflict says why an agent could not be written: its id is taken
// (when creating) or missing (when updating), or its email is in use.
func (t *tx) agentConflict(ctx context.Context, what string, a *switchboard.Agent) error {
	found, err := t.exists(ctx, `SELECT EXISTS (SELECT 1 FROM agents WHERE id = $1)`, a.ID)
	switch {
	case err != nil:
		return wrap(what, err)
	case found && what == "create agent":
		return switchboard.Errorf(switchboard.ECONFLICT, "agent %s already exists", a.ID)
	case !found && what == "update agent":
		return notFound("agent", a.ID)
	}
	return switchboard.Errorf(switchboard.ECONFLICT, "email %s is already in use", a.Email)
}

// Agent returns one agent, or ENOTFOUND.
func (t *tx) Agent(ctx context.Context, id string) (*switchboard.Agent, error) {
	a, err := queryOne(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents WHERE id = $1`, id)
	if err != nil {
		return nil, wrap("agent", err)
	}
	if a == nil {
		return nil, notFound("agent", id)
	}
	return a, nil
}

// FindAgentByEmail matches the email case-insensitively, or returns nil.
func (t *tx) FindAgentByEmail(ctx context.Context, email string) (*switchboard.Agent, error) {
	a, err := queryOne(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents WHERE email_key = $1`, emailKey(email))
	return a, wrap("find agent by email", err)
}

// ListAgents returns every agent, oldest first.
func (t *tx) ListAgents(ctx context.Context) ([]switchboard.Agent, error) {
	as, err := queryAll(ctx, t, scanAgent, `SELECT `+agentColumns+` FROM agents ORDER BY created_at NULLS FIRST, seq`)
	return as, wrap("list agents", err)
}

func scanAgent(r pgx.Row) (switchboard.Agent, error) {
	var a switchboard.Agent
	err := r.Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, &a.Disabled, &a.Admin,
		&a.AllBots, &a.Bots, &a.SignInGeneration, timeCol{&a.CreatedAt})
	return a, err
}

// botsArg stores an agent's bots as an array ({} when there are none).
func botsArg(bots []string) []string {
	if bots == nil {
		return []string{}
	}
	return bots
}

// CreateLogin stores a sign-in. A token hash already stored is ECONFLICT, and
// an agent that does not exist ENOTFOUND.
func (t *tx) CreateLogin(ctx context.Context, l *switchboard.AgentLogin) error {
	n, err := t.exec(ctx, `INSERT INTO agent_logins (token_hash, agent_id, csrf_token, created_at, expires_at, generation)
		SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM agents WHERE id = $2)
		ON CONFLICT DO NOTHING`, l.TokenHash, l.AgentID, l.CSRFToken, timeArg(l.CreatedAt), l.ExpiresAt, l.Generation)
	switch {
	case isCode(err, codeForeignKey):
		return notFound("agent", l.AgentID)
	case err != nil:
		return wrap("create login", err)
	case n == 1:
		return nil
	}
	found, err := t.exists(ctx, `SELECT EXISTS (SELECT 1 FROM agents WHERE id = $1)`, l.AgentID)
	switch {
	case err != nil:
		return wrap("create login", err)
	case !found:
		return notFound("agent", l.AgentID)
	}
	return switchboard.Errorf(switchboard.ECONFLICT, "sign-in already exists")
}

// FindLogin returns the sign-in of a token hash if it expires after now and
// its agent's sign-ins were not ended since it was made, or nil.
func (t *tx) FindLogin(ctx context.Context, tokenHash string, now time.Time) (*switchboard.AgentLogin, error) {
	l, err := queryOne(ctx, t, scanLogin, `SELECT l.token_hash, l.agent_id, l.csrf_token, l.generation, l.created_at, l.expires_at
		FROM agent_logins l JOIN agents a ON a.id = l.agent_id
		WHERE l.token_hash = $1 AND l.expires_at > $2 AND l.generation = a.signin_generation`, tokenHash, now)
	return l, wrap("find login", err)
}

// DeleteLogin removes a sign-in; removing a missing one is not an error, so
// signing out twice is harmless.
func (t *tx) DeleteLogin(ctx context.Context, tokenHash string) error {
	_, err := t.exec(ctx, `DELETE FROM agent_logins WHERE token_hash = $1`, tokenHash)
	return wrap("delete login", err)
}

func scanLogin(r pgx.Row) (switchboard.AgentLogin, error) {
	var l switchboard.AgentLogin
	err := r.Scan(&l.TokenHash, &l.AgentID, &l.CSRFToken, &l.Generation, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt})
	return l, err
}

// ListSavedReplies returns every saved reply, oldest first.
func (t *tx) ListSavedReplies(ctx context.Context) ([]switchboard.SavedReply, error) {
	rs, err := queryAll(ctx, t, scanSavedReply, `SELECT id, title, text, created_at FROM saved_replies
		ORDER BY created_at NULLS FIRST, seq`)
	return rs, wrap("list saved replies", err)
}

// PutSavedReply creates or replaces a saved reply.
func (t *tx) PutSavedReply(ctx context.Context, r *switchboard.SavedReply) error {
	_, err := t.exec(ctx, `INSERT INTO saved_replies (id, title, text, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, created_at = excluded.created_at`,
		r.ID, r.Title, r.Text, timeArg(r.CreatedAt))
	return wrap("put saved reply", err)
}

// DeleteSavedReply removes a saved reply, or is ENOTFOUND.
func (t *tx) DeleteSavedReply(ctx context.Context, id string) error {
	n, err := t.exec(ctx, `DELETE FROM saved_replies WHERE id = $1`, id)
	if err != nil {
		return wrap("delete saved reply", err)
	}
	if n == 0 {
		return notFound("saved reply", id)
	}
	return nil
}

func scanSavedReply(r pgx.Row) (switchboard.SavedReply, error) {
	var s switchboard.SavedReply
	err := r.Scan(&s.ID, &s.Title, &s.Text, timeCol{&s.CreatedAt})
	return s, err
}
