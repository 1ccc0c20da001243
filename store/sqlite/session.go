package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	res, err := t.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, sessionArgs(s)...)
	if err != nil {
		return fmt.Errorf("create session: %w", sessionConflict(err, s))
	}
	t.patch(s.Client, res.changes, sessionPatch(s))
	return nil
}

// UpdateSession replaces a stored session: ENOTFOUND when there is none, and
// ECONFLICT when it would make a second live session for its client.
func (t *tx) UpdateSession(ctx context.Context, s *switchboard.Session) error {
	args := sessionArgs(s)
	n, err := t.execN(ctx, `UPDATE sessions SET bot_id = ?, channel_id = ?, user_id = ?, platform = ?,
		state = ?, end_reason = ?, error = ?, external_id = ?, agent_id = ?, agent_name = ?, metadata = ?,
		timeout_ns = ?, created_at = ?, activated_at = ?, first_reply_at = ?, last_activity_at = ?, ended_at = ?,
		team = ?, priority = ?, tags = ?, note = ?, claimed_at = ?, queue_position = ?, queue_wait_ns = ?
		WHERE id = ?`, append(args[1:], args[0])...)
	if err != nil {
		return fmt.Errorf("update session: %w", sessionConflict(err, s))
	}
	if n == 0 {
		return notFound("session", s.ID)
	}
	t.patch(s.Client, n, sessionPatch(s))
	return nil
}

// sessionConflict turns a violated uniqueness into ECONFLICT.
func sessionConflict(err error, s *switchboard.Session) error {
	switch {
	case !isUnique(err):
		return err
	case strings.Contains(err.Error(), "sessions.id"):
		return switchboard.Errorf(switchboard.ECONFLICT, "session %s already exists", s.ID)
	default:
		return switchboard.Errorf(switchboard.ECONFLICT, "client %s already has a live session", s.Client)
	}
}

// Session returns one session, or ENOTFOUND.
func (t *tx) Session(ctx context.Context, id string) (*switchboard.Session, error) {
	s, err := queryOne(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if s == nil {
		return nil, notFound("session", id)
	}
	return s, nil
}

// Sessions returns the sessions of these ids, by id, in one statement: the
// ids go as one JSON array (a single parameter, however many they are), and
// each is looked up by the primary key.
func (t *tx) Sessions(ctx context.Context, ids []string) (map[string]switchboard.Session, error) {
	out := make(map[string]switchboard.Session, len(ids))
	if len(ids) == 0 {
		return out, t.ready(ctx)
	}
	ss, err := queryAll(ctx, t, scanSession, sessionsByIDQuery, botsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	for _, s := range ss {
		out[s.ID] = s
	}
	return out, nil
}

// sessionsByIDQuery reads the sessions whose ids a JSON array holds.
const sessionsByIDQuery = `SELECT ` + sessionColumns + ` FROM sessions WHERE id IN (SELECT value FROM json_each(?))`

// FindLiveSession returns the client's pending or active session, or nil.
func (t *tx) FindLiveSession(ctx context.Context, key switchboard.ClientKey) (*switchboard.Session, error) {
	s, err := queryOne(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND state IN ('pending', 'active')`,
		key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("find live session: %w", err)
	}
	return s, nil
}

// FindSessionByExternalID returns the session a platform knows by this id (the
// newest, should two share it), or nil.
func (t *tx) FindSessionByExternalID(ctx context.Context, platform, externalID string) (*switchboard.Session, error) {
	if externalID == "" {
		return nil, t.ready(ctx)
	}
	s, err := queryOne(ctx, t, scanSession, `SELECT `+sessionColumns+` FROM sessions
		WHERE platform = ? AND external_id = ? AND external_id <> '' ORDER BY created_at DESC, rowid DESC LIMIT 1`,
		platform, externalID)
	if err != nil {
		return nil, fmt.Errorf("find session by external id: %w", err)
	}
	return s, nil
}

// ListSessions returns matching sessions, newest first (oldest first with
// OldestFirst). A filter for live states only reads the partial index of live
// sessions, which holds only them: through created_at, oldest first would step
// through every ended session before the first live one.
func (t *tx) ListSessions(ctx context.Context, f switchboard.SessionFilter) ([]switchboard.Session, error) {
	var (
		q    strings.Builder
		args []any
	)
	q.WriteString(`SELECT ` + sessionColumns + ` FROM sessions`)
	live := len(f.States) > 0
	for _, s := range f.States {
		live = live && (s == switchboard.SessionPending || s == switchboard.SessionActive)
	}
	if live {
		q.WriteString(` INDEXED BY sessions_live WHERE state IN ('pending', 'active')`)
	} else {
		q.WriteString(` WHERE true`)
	}
	if f.BotID != "" {
		q.WriteString(` AND bot_id = ?`)
		args = append(args, f.BotID)
	}
	if f.BotIDs != nil {
		q.WriteString(` AND bot_id IN (SELECT value FROM json_each(?))`)
		args = append(args, botsArg(f.BotIDs))
	}
	if len(f.States) > 0 {
		q.WriteString(` AND state IN (?` + strings.Repeat(`, ?`, len(f.States)-1) + `)`)
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.EndedAfter.IsZero() {
		q.WriteString(` AND (state <> 'ended' OR ended_at > ?)`)
		args = append(args, f.EndedAfter.UnixMicro())
	}
	if f.Platform != "" {
		q.WriteString(` AND platform = ?`)
		args = append(args, f.Platform)
	}
	if f.Client != nil {
		q.WriteString(` AND bot_id = ? AND channel_id = ? AND user_id = ?`)
		args = append(args, f.Client.BotID, f.Client.ChannelID, f.Client.UserID)
	}
	if f.Claimed != nil {
		if *f.Claimed {
			q.WriteString(` AND agent_id <> ''`)
		} else {
			q.WriteString(` AND agent_id = ''`)
		}
	}
	if f.Team != nil {
		q.WriteString(` AND team = ?`)
		args = append(args, *f.Team)
	}
	if f.Unclaimed {
		q.WriteString(` AND claimed_at IS NULL`)
	}
	if !f.ClaimedAfter.IsZero() {
		q.WriteString(` AND claimed_at > ?`)
		args = append(args, f.ClaimedAfter.UnixMicro())
	}
	if !f.CreatedFrom.IsZero() {
		q.WriteString(` AND created_at >= ?`)
		args = append(args, f.CreatedFrom.UnixMicro())
	}
	if !f.CreatedUntil.IsZero() {
		q.WriteString(` AND created_at < ?`)
		args = append(args, f.CreatedUntil.UnixMicro())
	}
	if f.Text != "" {
		// String values of the metadata, then the text and title of the
		// session's messages (through the client's index).
		q.WriteString(` AND (EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(sessions.metadata) THEN sessions.metadata END) j
				WHERE j.type = 'text' AND j.value LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM messages m WHERE m.bot_id = sessions.bot_id AND m.channel_id = sessions.channel_id
				AND m.user_id = sessions.user_id AND m.session_id = sessions.id AND json_valid(m.content)
				AND (json_extract(m.content, '$.text') LIKE ? ESCAPE '\' OR json_extract(m.content, '$.title') LIKE ? ESCAPE '\')))`)
		p := like.Contains(f.Text)
		args = append(args, p, p, p)
	}
	if f.After != "" {
		if f.OldestFirst {
			q.WriteString(` AND (created_at, rowid) > (SELECT created_at, rowid FROM sessions WHERE id = ?)`)
		} else {
			q.WriteString(` AND (created_at, rowid) < (SELECT created_at, rowid FROM sessions WHERE id = ?)`)
		}
		args = append(args, f.After)
	}
	if f.OldestFirst {
		q.WriteString(` ORDER BY created_at, rowid`)
	} else {
		q.WriteString(` ORDER BY created_at DESC, rowid DESC`)
	}
	q.WriteString(limitSQL(f.Limit))
	ss, err := queryAll(ctx, t, scanSession, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return firstRows(ss, f.Limit), nil
}

func scanSession(r scanner) (switchboard.Session, error) {
	var (
		s                switchboard.Session
		state, endReason string
		timeout, wait    int64
	)
	err := r.Scan(&s.ID, &s.Client.BotID, &s.Client.ChannelID, &s.Client.UserID, &s.Platform, &state,
		&endReason, &s.Error, &s.ExternalID, &s.AgentID, &s.AgentName, jsonCol{&s.Metadata}, &timeout,
		timeCol{&s.CreatedAt}, timePtrCol{&s.ActivatedAt}, timePtrCol{&s.FirstReplyAt},
		timeCol{&s.LastActivityAt}, timePtrCol{&s.EndedAt},
		&s.Team, &s.Priority, stringsCol{&s.Tags}, &s.Note, timePtrCol{&s.ClaimedAt}, intCol{&s.QueuePosition}, &wait)
	s.QueueWait = time.Duration(wait)
	s.State = switchboard.SessionState(state)
	s.EndReason = switchboard.EndReason(endReason)
	s.Timeout = time.Duration(timeout)
	return s, err
}

// CountLiveSessions counts the pending and the active sessions, through the
// partial index of live sessions.
func (t *tx) CountLiveSessions(ctx context.Context) (map[switchboard.SessionState]int, error) {
	out := map[switchboard.SessionState]int{switchboard.SessionPending: 0, switchboard.SessionActive: 0}
	type count struct {
		state string
		n     int
	}
	rows, err := queryAll(ctx, t, func(r scanner) (count, error) {
		var c count
		err := r.Scan(&c.state, intCol{&c.n})
		return c, err
	}, `SELECT state, COUNT(*) FROM sessions WHERE state IN ('pending', 'active') GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count live sessions: %w", err)
	}
	for _, c := range rows {
		out[switchboard.SessionState(c.state)] = c.n
	}
	return out, nil
}
