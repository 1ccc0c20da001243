package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryPlans checks that the queries of a bot turn, of message history and
// of the workers find their rows through an index, never by scanning a table
// that grows with traffic.
func TestQueryPlans(t *testing.T) {
	c := writerOfNewDB(t)
	for _, q := range []struct{ query, index string }{
		{`SELECT ` + sessionColumns + ` FROM sessions WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND state IN ('pending', 'active')`, "sessions_live"},
		{`SELECT ` + sessionColumns + ` FROM sessions WHERE platform = ? AND external_id = ? AND external_id <> '' ORDER BY created_at DESC, rowid DESC LIMIT 1`, "sessions_external"},
		{`SELECT ` + sessionColumns + ` FROM sessions WHERE true AND bot_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`, "sessions_bot_created"},
		{`SELECT ` + conversationColumns + ` FROM conversations WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND status = 'OPEN'`, "conversations_open"},
		{`SELECT key, value FROM memories WHERE bot_id = ? AND channel_id = ? AND user_id = ? ORDER BY key`, "PRIMARY KEY"},
		{`SELECT ` + messageColumns + ` FROM messages WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND id > ? ORDER BY id LIMIT ?`, "messages_client"},
		{`SELECT ` + messageColumns + ` FROM messages WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, "messages_client"},
		{`SELECT ` + messageColumns + ` FROM messages INDEXED BY messages_request
			WHERE request_id = ? AND request_id <> '' AND bot_id = ? AND channel_id = ? AND user_id = ? ORDER BY id`, "messages_request"},
		{`SELECT id FROM jobs j WHERE run_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
			AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND e.id < j.id) ORDER BY id LIMIT ?3`, "jobs_run_at"},
		{`SELECT key FROM timers WHERE due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) ORDER BY due_at, key LIMIT ?3`, "timers_due"},
		{`DELETE FROM seen WHERE seen_at < ?`, "seen_at"},
		{`DELETE FROM seen WHERE scope = ? AND seen_at < ?`, "PRIMARY KEY"},
		{`SELECT ` + channelColumns + ` FROM channels WHERE api_key = ? AND api_key <> ''`, "channels_api_key"},
		{`SELECT created_at, first_reply_at, state, end_reason FROM sessions
			WHERE created_at >= ? AND created_at < ? AND bot_id = ? ORDER BY created_at`, "sessions_bot_created"},
		{`SELECT created_at, first_reply_at, state, end_reason FROM sessions
			WHERE created_at >= ? AND created_at < ? ORDER BY created_at`, "sessions_created"},
		{`SELECT ` + conversationColumns + ` FROM conversations WHERE bot_id = ? AND channel_id = ? AND user_id = ?
			ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, "conversations_client"},
		{`SELECT COUNT(*), COUNT(DISTINCT channel_id || '/' || user_id) FROM messages
			WHERE bot_id = ? AND created_at >= ? AND created_at < ?`, "messages_client"},
	} {
		text := queryPlan(t, c, q.query)
		if !strings.Contains(text, q.index) || strings.Contains(text, "SCAN") {
			t.Errorf("%s\nplan: %s\nwant a search through %s", q.query, text, q.index)
		}
	}
}

// TestSessionsByIDPlan checks that Sessions looks each id up by the primary
// key: only the ids' JSON array is scanned, never the sessions.
func TestSessionsByIDPlan(t *testing.T) {
	p := queryPlan(t, writerOfNewDB(t), sessionsByIDQuery)
	if !strings.Contains(p, "SEARCH sessions USING INDEX sqlite_autoindex_sessions_1 (id=?)") || strings.Contains(p, "SCAN sessions") {
		t.Errorf("sessions by id\nplan: %s\nwant a search by the primary key", p)
	}
}

// queryPlan is SQLite's plan of query, its steps joined by "; ".
// writerOfNewDB opens a new database in a temporary folder and holds its
// writer's connection until the test ends.
func writerOfNewDB(t *testing.T) *conn {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, err := db.w.hold()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.w.unhold)
	return c
}

func queryPlan(t *testing.T, c *conn, query string) string {
	t.Helper()
	rows, err := c.query("EXPLAIN QUERY PLAN "+query, placeholders(query)...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "; ")
}

// placeholders returns an argument for every parameter of query.
func placeholders(query string) []any {
	if strings.Contains(query, "?3") {
		return []any{1, 1, 1}
	}
	args := make([]any, strings.Count(query, "?"))
	for i := range args {
		args[i] = 1
	}
	return args
}
