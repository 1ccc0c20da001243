package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
)

const csatColumns = `session_id, bot_id, channel_id, user_id, platform, agent_id, agent_name, team,
	state, rating, comment, asked_at, answered_at`

// PutCSAT creates or replaces the survey of a session.
func (t *tx) PutCSAT(ctx context.Context, a *switchboard.CSATAnswer) error {
	_, err := t.exec(ctx, `INSERT INTO csat_answers (`+csatColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, agent_name = excluded.agent_name,
		team = excluded.team, state = excluded.state, rating = excluded.rating, comment = excluded.comment,
		answered_at = excluded.answered_at`,
		a.SessionID, a.Client.BotID, a.Client.ChannelID, a.Client.UserID, a.Platform, a.AgentID, a.AgentName, a.Team,
		string(a.State), a.Rating, a.Comment, timeArg(a.AskedAt), timePtrArg(a.AnsweredAt))
	if err != nil {
		return fmt.Errorf("put csat: %w", err)
	}
	return nil
}

// FindOpenCSAT returns the client's newest survey still taking answers.
func (t *tx) FindOpenCSAT(ctx context.Context, key switchboard.ClientKey) (*switchboard.CSATAnswer, error) {
	a, err := queryOne(ctx, t, scanCSAT, `SELECT `+csatColumns+` FROM csat_answers
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? ORDER BY asked_at DESC LIMIT 1`,
		key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("find open csat: %w", err)
	}
	if a == nil || a.State == switchboard.CSATDone {
		return nil, nil
	}
	return a, nil
}

// csatWhere is the WHERE clause of a filter and its arguments.
func csatWhere(f switchboard.CSATFilter) (string, []any) {
	where, args := `WHERE 1 = 1`, []any{}
	if f.BotID != "" {
		where += ` AND bot_id = ?`
		args = append(args, f.BotID)
	}
	if !f.Since.IsZero() {
		where += ` AND asked_at >= ?`
		args = append(args, timeArg(f.Since))
	}
	if !f.Until.IsZero() {
		where += ` AND asked_at < ?`
		args = append(args, timeArg(f.Until))
	}
	return where, args
}

// ListCSAT returns matching surveys, newest first.
func (t *tx) ListCSAT(ctx context.Context, f switchboard.CSATFilter) ([]switchboard.CSATAnswer, error) {
	where, args := csatWhere(f)
	as, err := queryAll(ctx, t, scanCSAT, `SELECT `+csatColumns+` FROM csat_answers `+where+
		` ORDER BY asked_at DESC, session_id DESC LIMIT ?`, append(args, limitArg(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list csat: %w", err)
	}
	return as, nil
}

// CSATSummaries counts matching surveys per bot, agent and team.
func (t *tx) CSATSummaries(ctx context.Context, f switchboard.CSATFilter) ([]switchboard.CSATSummary, error) {
	where, args := csatWhere(f)
	ss, err := queryAll(ctx, t, scanCSATSummary, `SELECT bot_id, agent_id, MAX(agent_name), team, COUNT(*),
		SUM(rating = 1), SUM(rating = 2), SUM(rating = 3), SUM(rating = 4), SUM(rating = 5)
		FROM csat_answers `+where+` GROUP BY bot_id, team, agent_id ORDER BY bot_id, team, MAX(agent_name), agent_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("csat summaries: %w", err)
	}
	return ss, nil
}

func scanCSAT(r scanner) (switchboard.CSATAnswer, error) {
	var a switchboard.CSATAnswer
	var state string
	err := r.Scan(&a.SessionID, &a.Client.BotID, &a.Client.ChannelID, &a.Client.UserID, &a.Platform, &a.AgentID,
		&a.AgentName, &a.Team, &state, intCol{&a.Rating}, &a.Comment, timeCol{&a.AskedAt}, timePtrCol{&a.AnsweredAt})
	a.State = switchboard.CSATState(state)
	return a, err
}

func scanCSATSummary(r scanner) (switchboard.CSATSummary, error) {
	var s switchboard.CSATSummary
	err := r.Scan(&s.BotID, &s.AgentID, &s.AgentName, &s.Team, intCol{&s.Asked}, intCol{&s.Ratings[0]},
		intCol{&s.Ratings[1]}, intCol{&s.Ratings[2]}, intCol{&s.Ratings[3]}, intCol{&s.Ratings[4]})
	return s, err
}

// PutPresence creates or replaces an agent's presence.
func (t *tx) PutPresence(ctx context.Context, p switchboard.AgentPresence) error {
	_, err := t.exec(ctx, `INSERT INTO agent_presence (agent_id, status, active_at) VALUES (?, ?, ?)
		ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, active_at = excluded.active_at`,
		p.AgentID, string(p.Status), timeArg(p.ActiveAt))
	if err != nil {
		return fmt.Errorf("put presence: %w", err)
	}
	return nil
}

// ListPresence returns every agent's presence, by agent id.
func (t *tx) ListPresence(ctx context.Context) ([]switchboard.AgentPresence, error) {
	ps, err := queryAll(ctx, t, func(r scanner) (switchboard.AgentPresence, error) {
		var p switchboard.AgentPresence
		var status string
		err := r.Scan(&p.AgentID, &status, timeCol{&p.ActiveAt})
		p.Status = switchboard.PresenceStatus(status)
		return p, err
	}, `SELECT agent_id, status, active_at FROM agent_presence ORDER BY agent_id`)
	if err != nil {
		return nil, fmt.Errorf("list presence: %w", err)
	}
	return ps, nil
}

// PutHandback replaces the values handed back in a session.
func (t *tx) PutHandback(ctx context.Context, sessionID string, values map[string]string) error {
	raw, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("encode handback: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO session_handbacks (session_id, handback) VALUES (?, ?)
		ON CONFLICT (session_id) DO UPDATE SET handback = excluded.handback`, sessionID, string(raw))
	if err != nil {
		return fmt.Errorf("put handback: %w", err)
	}
	return nil
}

// Handback returns the values handed back in a session, nil when none.
func (t *tx) Handback(ctx context.Context, sessionID string) (map[string]string, error) {
	raw, err := queryOne(ctx, t, scanSetting, `SELECT handback FROM session_handbacks WHERE session_id = ?`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("handback: %w", err)
	}
	if raw == nil {
		return nil, nil
	}
	var values map[string]string
	if err := json.Unmarshal(*raw, &values); err != nil {
		return nil, fmt.Errorf("decode handback: %w", err)
	}
	return values, nil
}
