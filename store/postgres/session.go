package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
	"switchboard/store/internal/like"
)

const sessionColumns = `id, bot_id, channel_id, user_id, platform, state, end_reason, error, external_id,
	agent_id, agent_name, metadata, timeout_ns, created_at, activated_at, first_reply_at, last_activity_at, ended_at,
	team, priority, tags, note, claimed_at, queue_position, queue_wait_ns`

// sessionArgs are the column values of sessionColumns, id first.
func sessionArgs(s *switchboard.Session) []any {
	return []any{s.ID, s.Client.BotID, s.Client.ChannelID, s.Client.UserID, s.Platform, string(s.State),
		string(s.EndReason), s.Error, s.ExternalID, s.AgentID, s.AgentName, jsonArg(s.Metadata),
		int64(s.Timeout), timeArg(s.CreatedAt), timePtrArg(s.ActivatedAt), timePtrArg(s.FirstReplyAt),
		timeArg(s.LastActivityAt), timePtrArg(s.EndedAt),
		s.Team, s.Priority, botsArg(s.Tags), s.Note, timePtrArg(s.ClaimedAt), s.QueuePosition, int64(s.QueueWait)}
}

// CreateSession stores a new session. An id already used, or a second live
// (pending or active) session for the same client, is ECONFLICT: a unique
// index guarantees that a client has at most one live session.
func (t *tx) CreateSession(ctx context.Context, s *switchboard.Session) error {
	n, err := t.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
		ON CONFLICT DO NOTHING`, sessionArgs(s)...)
	if err == nil && n == 0 || isCode(err, codeUnique) {
		return t.sessionConflict(ctx, "create session", s)
	}
	return wrap("create session", err)
}

// UpdateSession replaces a stored session: ENOTFOUND when there is none, and
// ECONFLICT when it would make a second live session for its client (which
// changes nothing, rather than failing the transaction on the unique index).
func (t *tx) UpdateSession(ctx context.Context, s *switchboard.Session) error {
	n, err := t.exec(ctx, `UPDATE sessions SET bot_id = $2, channel_id = $3, user_id = $4, platform = $5,
		state = $6, end_reason = $7, error = $8, external_id = $9, agent_id = $10, agent_name = $11, metadata = $12,
		timeout_ns = $13, created_at = $14, activated_at = $15, first_reply_at = $16, last_activity_at = $17, ended_at = $18,
		team = $19, priority = $20, tags = $21, note = $22, claimed_at = $23, queue_position = $24, queue_wait_ns = $25
		WHERE id = $1 AND NOT ($6 IN ('pending', 'active') AND EXISTS (SELECT 1 FROM sessions o
			WHERE o.bot_id = $2 AND o.channel_id = $3 AND o.user_id = $4 AND o.state IN ('pending', 'active') AND o.id <> $1))`,
		sessionArgs(s)...)
	switch {
	case err == nil && n == 0:
		found, err := t.exists(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1)`, s.ID)
		if err != nil {
			return wrap("update session", err)
		}
		if !found {
			return notFound("session", s.ID)
		}
		return switchboard.Errorf(switchboard.ECONFLICT, "client %s already has a live session", s.Client)
	case isCode(err, codeUnique):
		return switchboard.Errorf(switchboard.ECONFLICT, "client %s already has a live session", s.Client)
	}
	return wrap("update session", err)
}

// sessionConflict says why a session could not be created.
func (t *tx) sessionConflict(ctx context.Context, what string, s *switchboard.Session) error {
	taken, err := t.exists(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1)`, s.ID)
	switch {
	case err != nil:
		return wrap(what, err)
	case taken:
		return switchboard.Errorf(switchboard.ECONFLICT, "session %s already exists", s.ID)
	}
	return switchboard.Errorf(switchboard.ECONFLICT, "client %s already has a live session", s.Client)
}

// Session returns one session, or ENOTFOUND.
func (t *tx) Session(ctx context.Context, id string) (*switchboard.Session, error) {
	s, err := queryOne(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id)
	if err != nil {
		return nil, wrap("session", err)
	}
	if s == nil {
		return nil, notFound("session", id)
	}
	return s, nil
}

// Sessions returns the sessions of these ids, by id, in one statement: the
// ids go as one array, each looked up by the primary key.
func (t *tx) Sessions(ctx context.Context, ids []string) (map[string]switchboard.Session, error) {
	out := make(map[string]switchboard.Session, len(ids))
	if len(ids) == 0 {
		return out, t.ready(ctx)
	}
	ss, err := queryAll(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, wrap("sessions", err)
	}
	for _, s := range ss {
		out[s.ID] = s
	}
	return out, nil
}

// FindLiveSession returns the client's pending or active session, or nil.
func (t *tx) FindLiveSession(ctx context.Context, key switchboard.ClientKey) (*switchboard.Session, error) {
	s, err := queryOne(ctx, t, scanSession, liveSessionSQL, key.BotID, key.ChannelID, key.UserID)
	return s, wrap("find live session", err)
}

const liveSessionSQL = `SELECT ` + sessionColumns + ` FROM sessions
	WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 AND state IN ('pending', 'active')`

// FindSessionByExternalID returns the session a platform knows by this id (the
// newest, should two share it), or nil.
func (t *tx) FindSessionByExternalID(ctx context.Context, platform, externalID string) (*switchboard.Session, error) {
	if externalID == "" {
		return nil, t.ready(ctx)
	}
	s, err := queryOne(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions
		WHERE platform = $1 AND external_id = $2 AND external_id <> ''
		ORDER BY created_at DESC NULLS LAST, seq DESC LIMIT 1`, platform, externalID)
	return s, wrap("find session by external id", err)
}

// ListSessions returns matching sessions, newest first (oldest first with
// OldestFirst).
func (t *tx) ListSessions(ctx context.Context, f switchboard.SessionFilter) ([]switchboard.Session, error) {
	var (
		q    strings.Builder
		args []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q.WriteString(`SELECT ` + sessionColumns + ` FROM sessions WHERE true`)
	if f.BotID != "" {
		q.WriteString(` AND bot_id = ` + arg(f.BotID))
	}
	if f.BotIDs != nil {
		q.WriteString(` AND bot_id = ANY(` + arg(botsArg(f.BotIDs)) + `)`)
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, s := range f.States {
			states[i] = string(s)
		}
		q.WriteString(` AND state = ANY(` + arg(states) + `)`)
	}
	if !f.EndedAfter.IsZero() {
		q.WriteString(` AND (state <> 'ended' OR ended_at > ` + arg(f.EndedAfter) + `)`)
	}
	if f.Platform != "" {
		q.WriteString(` AND platform = ` + arg(f.Platform))
	}
	if f.Client != nil {
		q.WriteString(` AND bot_id = ` + arg(f.Client.BotID) + ` AND channel_id = ` + arg(f.Client.ChannelID) + ` AND user_id = ` + arg(f.Client.UserID))
	}
	if f.Claimed != nil {
		if *f.Claimed {
			q.WriteString(` AND agent_id <> ''`)
		} else {
			q.WriteString(` AND agent_id = ''`)
		}
	}
	if f.Team != nil {
		q.WriteString(` AND team = ` + arg(*f.Team))
	}
	if f.Unclaimed {
		q.WriteString(` AND claimed_at IS NULL`)
	}
	if !f.ClaimedAfter.IsZero() {
		q.WriteString(` AND claimed_at > ` + arg(f.ClaimedAfter))
	}
	if !f.CreatedFrom.IsZero() {
		q.WriteString(` AND created_at >= ` + arg(f.CreatedFrom))
	}
	if !f.CreatedUntil.IsZero() {
		q.WriteString(` AND created_at < ` + arg(f.CreatedUntil))
	}
	if f.Text != "" {
		// String values of the metadata, then the text and title of the
		// session's messages.
		p := arg(like.Contains(f.Text))
		q.WriteString(` AND (EXISTS (SELECT 1 FROM json_each(CASE WHEN json_typeof(sessions.metadata) = 'object' THEN sessions.metadata END) j
				WHERE json_typeof(j.value) = 'string' AND j.value #>> '{}' ILIKE ` + p + ` ESCAPE '\')
			OR EXISTS (SELECT 1 FROM messages m WHERE m.bot_id = sessions.bot_id AND m.channel_id = sessions.channel_id
				AND m.user_id = sessions.user_id AND m.session_id = sessions.id
				AND (m.content ->> 'text' ILIKE ` + p + ` ESCAPE '\' OR m.content ->> 'title' ILIKE ` + p + ` ESCAPE '\')))`)
	}
	if f.After != "" {
		op := "<"
		if f.OldestFirst {
			op = ">"
		}
		q.WriteString(` AND (created_at, seq) ` + op + ` (SELECT created_at, seq FROM sessions WHERE id = ` + arg(f.After) + `)`)
	}
	if f.OldestFirst {
		q.WriteString(` ORDER BY created_at NULLS FIRST, seq LIMIT ` + arg(limitArg(f.Limit)))
	} else {
		q.WriteString(` ORDER BY created_at DESC NULLS LAST, seq DESC LIMIT ` + arg(limitArg(f.Limit)))
	}
	ss, err := queryAll(ctx, t, scanSession, q.String(), args...)
	return ss, wrap("list sessions", err)
}

// CountLiveSessions counts the pending and the active sessions.
func (t *tx) CountLiveSessions(ctx context.Context) (map[switchboard.SessionState]int, error) {
	type count struct {
		state switchboard.SessionState
		n     int64
	}
	rows, err := queryAll(ctx, t, func(r pgx.Row) (count, error) {
		var c count
		err := r.Scan(&c.state, &c.n)
		return c, err
	}, `SELECT state, COUNT(*) FROM sessions WHERE state IN ('pending', 'active') GROUP BY state`)
	if err != nil {
		return nil, wrap("count live sessions", err)
	}
	out := map[switchboard.SessionState]int{switchboard.SessionPending: 0, switchboard.SessionActive: 0}
	for _, c := range rows {
		out[c.state] = int(c.n)
	}
	return out, nil
}

func scanSession(r pgx.Row) (switchboard.Session, error) {
	var (
		s                switchboard.Session
		state, endReason string
		timeout, wait    int64
	)
	err := r.Scan(&s.ID, &s.Client.BotID, &s.Client.ChannelID, &s.Client.UserID, &s.Platform, &state,
		&endReason, &s.Error, &s.ExternalID, &s.AgentID, &s.AgentName, jsonCol(&s.Metadata), &timeout,
		timeCol{&s.CreatedAt}, timePtrCol{&s.ActivatedAt}, timePtrCol{&s.FirstReplyAt},
		timeCol{&s.LastActivityAt}, timePtrCol{&s.EndedAt},
		&s.Team, &s.Priority, &s.Tags, &s.Note, timePtrCol{&s.ClaimedAt}, &s.QueuePosition, &wait)
	s.QueueWait = time.Duration(wait)
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	s.State = switchboard.SessionState(state)
	s.EndReason = switchboard.EndReason(endReason)
	s.Timeout = time.Duration(timeout)
	return s, err
}
