package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
)

// exportPage is how many sessions the queue figures and the export read at
// a time.
const exportPage = 500

// dates reads ?from= and ?to= (YYYY-MM-DD, UTC, both days included; the
// last 30 days by default, 366 at most) as [since, until).
func (h *handler) dates(r *http.Request) (since, until time.Time, err error) {
	q := r.URL.Query()
	until = h.Clock.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	if v := q.Get("to"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return since, until, switchboard.Errorf(switchboard.EINVALID, "to %q is not a date: use YYYY-MM-DD", v)
		}
		until = d.Add(24 * time.Hour)
	}
	since = until.AddDate(0, 0, -defaultDays)
	if v := q.Get("from"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return since, until, switchboard.Errorf(switchboard.EINVALID, "from %q is not a date: use YYYY-MM-DD", v)
		}
		since = d
	}
	if !since.Before(until) || until.Sub(since) > maxDays*24*time.Hour {
		return since, until, switchboard.Errorf(switchboard.EINVALID, "the period from %s to %s is empty or longer than %d days: give from before to", since.Format(time.DateOnly), until.Add(-time.Nanosecond).Format(time.DateOnly), maxDays)
	}
	return since, until, nil
}

// eachSession calls fn with every session (of one bot, when botID is set)
// created in [since, until), oldest first, a page per read transaction.
func (h *handler) eachSession(ctx context.Context, since, until time.Time, botID string, fn func(*switchboard.Session) error) error {
	after := ""
	for {
		var page []switchboard.Session
		err := h.Store.View(ctx, func(tx switchboard.Tx) error {
			var err error
			page, err = tx.ListSessions(ctx, switchboard.SessionFilter{
				BotID: botID, CreatedFrom: since, CreatedUntil: until, OldestFirst: true, After: after, Limit: exportPage,
			})
			return err
		})
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// queueRow is the queue's figures of one bot, team or agent.
type queueRow struct {
	Key      string `json:"key"`
	Sessions int    `json:"sessions"`
	Claimed  int    `json:"claimed"`
	// Abandoned counts customers who left before a claim (ended the
	// session, or let it expire); TimedOut sessions nobody claimed within
	// the bot's wait limit.
	Abandoned                  int     `json:"abandoned"`
	TimedOut                   int     `json:"timed_out"`
	MedianQueueSeconds         float64 `json:"median_queue_seconds"`
	MedianFirstResponseSeconds float64 `json:"median_first_response_seconds"`
	MedianHandlingSeconds      float64 `json:"median_handling_seconds"`
	queue, first, handling     []time.Duration
}

// queueOut is the answer of GET /v1/admin/stats/queue.
type queueOut struct {
	Since   time.Time  `json:"since"`
	Until   time.Time  `json:"until"`
	ByBot   []queueRow `json:"by_bot"`
	ByTeam  []queueRow `json:"by_team"`
	ByAgent []queueRow `json:"by_agent"`
}

// queueStats answers time in queue, abandonment, first response and
// handling time per bot, team ("" = the general queue) and agent, over the
// sessions created in the period.
func (h *handler) queueStats(w http.ResponseWriter, r *http.Request) {
	since, until, err := h.dates(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	bots, teams, agents := map[string]*queueRow{}, map[string]*queueRow{}, map[string]*queueRow{}
	err = h.eachSession(r.Context(), since, until, r.URL.Query().Get("bot_id"), func(s *switchboard.Session) error {
		rows := []*queueRow{rowOf(bots, s.Client.BotID), rowOf(teams, s.Team)}
		if a := engine.AgentLabel(s); a != "" && s.ClaimedAt != nil {
			rows = append(rows, rowOf(agents, a))
		}
		for _, row := range rows {
			row.add(s)
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, queueOut{Since: since, Until: until, ByBot: rowsOf(bots), ByTeam: rowsOf(teams), ByAgent: rowsOf(agents)})
}

func rowOf(m map[string]*queueRow, key string) *queueRow {
	if m[key] == nil {
		m[key] = &queueRow{Key: key}
	}
	return m[key]
}

// add counts a session in the row.
func (q *queueRow) add(s *switchboard.Session) {
	q.Sessions++
	switch {
	case s.ClaimedAt != nil:
		q.Claimed++
		q.queue = append(q.queue, s.ClaimedAt.Sub(s.CreatedAt))
		if s.EndedAt != nil {
			q.handling = append(q.handling, s.EndedAt.Sub(*s.ClaimedAt))
		}
	case s.EndReason == switchboard.EndTimeout:
		q.TimedOut++
	case s.EndReason == switchboard.EndUser || s.EndReason == switchboard.EndExpired:
		q.Abandoned++
	}
	if s.FirstReplyAt != nil {
		q.first = append(q.first, s.FirstReplyAt.Sub(s.CreatedAt))
	}
}

// rowsOf finishes the rows, by key.
func rowsOf(m map[string]*queueRow) []queueRow {
	out := []queueRow{}
	for _, q := range m {
		q.MedianQueueSeconds, q.MedianFirstResponseSeconds, q.MedianHandlingSeconds = median(q.queue), median(q.first), median(q.handling)
		out = append(out, *q)
	}
	slices.SortFunc(out, func(a, b queueRow) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// median is the median of durations in seconds, 0 for none.
func median(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := ds[len(ds)/2]
	if len(ds)%2 == 0 {
		m = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	return m.Seconds()
}
