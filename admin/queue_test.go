package admin_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
)

// queueDay is the day the queue tests' sessions start.
var queueDay = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// storeSessions stores ended sessions of the demo bot as they happened.
func (f *fixture) storeSessions(ss ...switchboard.Session) {
	f.t.Helper()
	ctx := context.Background()
	if err := f.app.Store.Update(ctx, func(tx switchboard.Tx) error {
		for i := range ss {
			if err := tx.CreateSession(ctx, &ss[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		f.t.Fatal(err)
	}
}

// pastSession is a session of the demo bot created at queueDay+start,
// claimed at +claimed (0: never), first answered at +first (0: never) and
// ended at +ended for reason.
func pastSession(id, user, team string, start, claimed, first, ended time.Duration, reason switchboard.EndReason) switchboard.Session {
	at := func(d time.Duration) *time.Time {
		if d == 0 {
			return nil
		}
		t := queueDay.Add(start + d)
		return &t
	}
	s := switchboard.Session{
		ID: id, Client: switchboard.ClientKey{BotID: "livechat-demo", ChannelID: "web", UserID: user}, Platform: "desk",
		State: switchboard.SessionEnded, EndReason: reason, Timeout: 30 * time.Minute,
		CreatedAt: queueDay.Add(start), LastActivityAt: queueDay.Add(start), ClaimedAt: at(claimed), FirstReplyAt: at(first), EndedAt: at(ended),
		Routing: switchboard.Routing{Team: team},
	}
	if claimed != 0 {
		s.AgentID, s.AgentName = "a1", "Ann"
	}
	return s
}

func TestQueueFiguresAndTheSessionsExport(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	f.storeSessions(
		pastSession("s1", "u1", "billing", 0, 2*time.Minute, 3*time.Minute, 12*time.Minute, switchboard.EndUser),
		pastSession("s2", "u2", "billing", time.Hour, 4*time.Minute, 4*time.Minute, 8*time.Minute, switchboard.EndUser),
		pastSession("s3", "=HYPERLINK(\"x\")", "", 2*time.Hour, 0, 0, time.Minute, switchboard.EndUser),
		pastSession("s4", "u4", "", 3*time.Hour, 0, 0, 5*time.Minute, switchboard.EndTimeout),
		pastSession("s5", "u5", "billing", 48*time.Hour, 0, 0, time.Minute, switchboard.EndUser), // after the period
	)

	var raw struct {
		ByTeam []map[string]any `json:"by_team"`
		ByBot  []map[string]any `json:"by_bot"`
		Agents []map[string]any `json:"by_agent"`
	}
	c.must("GET", "/v1/admin/stats/queue?from=2026-11-20&to=2026-11-21", nil, http.StatusOK, &raw)
	want := map[string]map[string]any{
		"billing": {"sessions": 2.0, "claimed": 2.0, "abandoned": 0.0, "timed_out": 0.0,
			"median_queue_seconds": 180.0, "median_first_response_seconds": 210.0, "median_handling_seconds": 420.0},
		"": {"sessions": 2.0, "claimed": 0.0, "abandoned": 1.0, "timed_out": 1.0,
			"median_queue_seconds": 0.0, "median_first_response_seconds": 0.0, "median_handling_seconds": 0.0},
	}
	if len(raw.ByTeam) != 2 {
		t.Fatalf("by team: %v", raw.ByTeam)
	}
	for _, row := range raw.ByTeam {
		for k, v := range want[row["key"].(string)] {
			if row[k] != v {
				t.Errorf("team %q: %s = %v, want %v", row["key"], k, row[k], v)
			}
		}
	}
	if len(raw.ByBot) != 1 || raw.ByBot[0]["sessions"] != 4.0 || raw.ByBot[0]["abandoned"] != 1.0 {
		t.Errorf("by bot: %v", raw.ByBot)
	}
	if len(raw.Agents) != 1 || raw.Agents[0]["key"] != "a1" || raw.Agents[0]["median_handling_seconds"] != 420.0 {
		t.Errorf("by agent: %v", raw.Agents)
	}

	res, body := c.do("GET", "/v1/admin/sessions/export?from=2026-11-20&to=2026-11-21", nil, "")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		res.Header.Get("Content-Disposition") != `attachment; filename="sessions-2026-11-20-2026-11-21.csv"` {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("export has %d rows (%v):\n%s", len(rows), err, body)
	}
	if got := strings.Join(rows[1], ","); got != "s1,livechat-demo,web,u1,desk,ended,user_ended,billing,,,a1,Ann,2026-11-20T10:00:00Z,2026-11-20T10:02:00Z,2026-11-20T10:03:00Z,2026-11-20T10:12:00Z,120,180,600" {
		t.Errorf("first row: %s", got)
	}
	if rows[3][3] != `'=HYPERLINK("x")` {
		t.Errorf("a formula-like user id is exported as %q", rows[3][3])
	}

	c.fails("GET", "/v1/admin/sessions/export?from=2026-11-22&to=2026-11-21", nil, "", http.StatusBadRequest)
	c.fails("GET", "/v1/admin/stats/queue?from=yesterday", nil, "", http.StatusBadRequest)
}

func TestTeamsAreMadeChangedAndDeleted(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var agents struct {
		Agents []switchboard.Agent `json:"agents"`
	}
	c.must("GET", "/v1/admin/agents", nil, http.StatusOK, &agents)
	id := agents.Agents[0].ID

	c.must("PUT", "/v1/admin/teams/billing", map[string]any{"name": "Billing", "agents": []string{id, id}}, http.StatusOK, nil)
	c.must("PUT", "/v1/admin/teams/sales", map[string]any{"name": "Sales", "agents": []string{}}, http.StatusOK, nil)
	c.fails("PUT", "/v1/admin/teams/Bad%20Team", map[string]any{"name": "x"}, "", http.StatusBadRequest)
	c.fails("PUT", "/v1/admin/teams/support", map[string]any{"name": "Support", "agents": []string{"nobody"}}, "", http.StatusBadRequest)
	c.fails("PUT", "/v1/admin/teams/support", map[string]any{"name": ""}, "", http.StatusBadRequest)
	c.must("PUT", "/v1/admin/teams/billing", map[string]any{"name": "Billing & refunds", "agents": []string{id}}, http.StatusOK, nil)
	c.must("DELETE", "/v1/admin/teams/sales", nil, http.StatusNoContent, nil)
	c.fails("DELETE", "/v1/admin/teams/sales", nil, "", http.StatusNotFound)

	var out struct {
		Teams []struct {
			ID, Name string
			Agents   []string
		}
	}
	c.must("GET", "/v1/admin/teams", nil, http.StatusOK, &out)
	if len(out.Teams) != 1 || out.Teams[0].ID != "billing" || out.Teams[0].Name != "Billing & refunds" || len(out.Teams[0].Agents) != 1 || out.Teams[0].Agents[0] != id {
		t.Fatalf("teams: %+v", out.Teams)
	}
}
