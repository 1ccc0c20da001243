package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const csatColumns = `session_id, bot_id, channel_id, user_id, platform, agent_id, agent_name, team,
	state, rating, comment, asked_at, answered_at`

// PutCSAT creates or replaces the survey of a session.
func (t *tx) PutCSAT(ctx context.Context, a *switchboard.CSATAnswer) error {
	_, err := t.exec(ctx, `INSERT INTO csat_answers (`+csatColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, agent_name = excluded.agent_name,
		team = excluded.team, state = excluded.state, rating = excluded.rating, comment = excluded.comment,
		answered_at = excluded.answered_at`,
		a.SessionID, a.Client.BotID, a.Client.ChannelID, a.Client.UserID, a.Platform, a.AgentID, a.AgentName, a.Team,
		string(a.State), a.Rating, a.Comment, timeArg(a.AskedAt), timePtrArg(a.AnsweredAt))
	return wrap("put csat", err)
}

// FindOpenCSAT returns the client's newest survey still taking answers.
func (t *tx) FindOpenCSAT(ctx context.Context, key switchboard.ClientKey) (*switchboard.CSATAnswer, error) {
	a, err := queryOne(ctx, t, scanCSAT, newestCSATSQL, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, wrap("find open csat", err)
	}
	if a == nil || a.State == switchboard.CSATDone {
		return nil, nil
	}
	return a, nil
}

const newestCSATSQL = `SELECT ` + csatColumns + ` FROM csat_answers
	WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 ORDER BY asked_at DESC LIMIT 1`

// csatWhere is the WHERE clause of a filter and its arguments.
func csatWhere(f switchboard.CSATFilter) (string, []any) {
	where, args := `WHERE true`, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.BotID != "" {
		add("bot_id = $%d", f.BotID)
	}
	if !f.Since.IsZero() {
		add("asked_at >= $%d", timeArg(f.Since))
	}
	if !f.Until.IsZero() {
		add("asked_at < $%d", timeArg(f.Until))
	}
	return where, args
}

// ListCSAT returns matching surveys, newest first.
func (t *tx) ListCSAT(ctx context.Context, f switchboard.CSATFilter) ([]switchboard.CSATAnswer, error) {
	where, args := csatWhere(f)
	args = append(args, limitArg(f.Limit))
	as, err := queryAll(ctx, t, scanCSAT, `SELECT `+csatColumns+` FROM csat_answers `+where+
		fmt.Sprintf(` ORDER BY asked_at DESC, session_id DESC LIMIT $%d`, len(args)), args...)
	return as, wrap("list csat", err)
}

// CSATSummaries counts matching surveys per bot, agent and team.
func (t *tx) CSATSummaries(ctx context.Context, f switchboard.CSATFilter) ([]switchboard.CSATSummary, error) {
	where, args := csatWhere(f)
	ss, err := queryAll(ctx, t, scanCSATSummary, `SELECT bot_id, agent_id, MAX(agent_name), team, COUNT(*),
		COUNT(*) FILTER (WHERE rating = 1), COUNT(*) FILTER (WHERE rating = 2), COUNT(*) FILTER (WHERE rating = 3),
		COUNT(*) FILTER (WHERE rating = 4), COUNT(*) FILTER (WHERE rating = 5)
		FROM csat_answers `+where+` GROUP BY bot_id, team, agent_id ORDER BY bot_id COLLATE "C", team COLLATE "C", MAX(agent_name) COLLATE "C", agent_id COLLATE "C"`, args...)
	return ss, wrap("csat summaries", err)
}

func scanCSAT(r pgx.Row) (switchboard.CSATAnswer, error) {
	var a switchboard.CSATAnswer
	var state string
	err := r.Scan(&a.SessionID, &a.Client.BotID, &a.Client.ChannelID, &a.Client.UserID, &a.Platform, &a.AgentID,
		&a.AgentName, &a.Team, &state, &a.Rating, &a.Comment, timeCol{&a.AskedAt}, timePtrCol{&a.AnsweredAt})
	a.State = switchboard.CSATState(state)
	return a, err
}

func scanCSATSummary(r pgx.Row) (switchboard.CSATSummary, error) {
	var s switchboard.CSATSummary
	err := r.Scan(&s.BotID, &s.AgentID, &s.AgentName, &s.Team, &s.Asked, &s.Ratings[0],
		&s.Ratings[1], &s.Ratings[2], &s.Ratings[3], &s.Ratings[4])
	return s, err
}

// PutPresence creates or replaces an agent's presence.
func (t *tx) PutPresence(ctx context.Context, p switchboard.AgentPresence) error {
	_, err := t.exec(ctx, `INSERT INTO agent_presence (agent_id, status, active_at) VALUES ($1, $2, $3)
		ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, active_at = excluded.active_at`,
		p.AgentID, string(p.Status), timeArg(p.ActiveAt))
	return wrap("put presence", err)
}

// ListPresence returns every agent's presence, by agent id.
func (t *tx) ListPresence(ctx context.Context) ([]switchboard.AgentPresence, error) {
	ps, err := queryAll(ctx, t, func(r pgx.Row) (switchboard.AgentPresence, error) {
		var p switchboard.AgentPresence
		var status string
		err := r.Scan(&p.AgentID, &status, timeCol{&p.ActiveAt})
		p.Status = switchboard.PresenceStatus(status)
		return p, err
	}, `SELECT agent_id, status, active_at FROM agent_presence ORDER BY agent_id COLLATE "C"`)
	return ps, wrap("list presence", err)
}

// PutHandback replaces the values handed back in a session.
func (t *tx) PutHandback(ctx context.Context, sessionID string, values map[string]string) error {
	raw, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("encode handback: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO session_handbacks (session_id, handback) VALUES ($1, $2)
		ON CONFLICT (session_id) DO UPDATE SET handback = excluded.handback`, sessionID, jsonArg(raw))
	return wrap("put handback", err)
}

// Handback returns the values handed back in a session, nil when none.
func (t *tx) Handback(ctx context.Context, sessionID string) (map[string]string, error) {
	raw, err := queryOne(ctx, t, scanJSON, `SELECT handback FROM session_handbacks WHERE session_id = $1`, sessionID)
	if err != nil || raw == nil {
		return nil, wrap("handback", err)
	}
	var values map[string]string
	if err := json.Unmarshal(*raw, &values); err != nil {
		return nil, fmt.Errorf("decode handback: %w", err)
	}
	return values, nil
}
