package sqlite

import (
	"strings"
	"testing"
)

// TestLatestAndLiveListPlans checks that LatestMessages seeks each client's
// last message (by a sender) through messages_client, and that the desk's list of live
// sessions, oldest first, reads the partial index of live sessions instead of
// stepping through every ended session.
func TestLatestAndLiveListPlans(t *testing.T) {
	c := writerOfNewDB(t)
	plan := func(query string) string { t.Helper(); return queryPlan(t, c, query) }

	for _, n := range []int{1, 2, latestBatch} {
		p := plan(latestMessagesQuery(n))
		// The clients' own rows are scanned (they are the statement's
		// constants); messages are only searched.
		if !strings.Contains(p, "INDEX messages_client (bot_id=? AND channel_id=? AND user_id=?)") ||
			!strings.Contains(p, "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)") ||
			strings.Contains(p, "SCAN l") || strings.Contains(p, "SCAN m") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("latest messages of %d clients\nplan: %s\nwant a seek on messages_client per client", n, p)
		}
	}

	live := `SELECT ` + sessionColumns + ` FROM sessions INDEXED BY sessions_live WHERE state IN ('pending', 'active')
		AND state IN (?, ?) AND platform = ? AND agent_id = '' ORDER BY created_at, rowid LIMIT ?`
	if p := plan(live); !strings.Contains(p, "sessions_live") {
		t.Errorf("live sessions, oldest first\nplan: %s\nwant a read of sessions_live", p)
	}
}
