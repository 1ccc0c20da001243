package admin

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// exportColumns are the columns of the sessions export, in order.
var exportColumns = []string{
	"id", "bot_id", "channel_id", "user_id", "platform", "state", "end_reason", "team", "priority", "tags",
	"agent_id", "agent_name", "created_at", "claimed_at", "first_reply_at", "ended_at",
	"queue_seconds", "first_response_seconds", "handling_seconds",
}

// exportSessions answers the sessions created in the period (of one bot
// with ?bot_id=) as CSV, oldest first, one row each, for a spreadsheet.
func (h *handler) exportSessions(w http.ResponseWriter, r *http.Request) {
	since, until, err := h.dates(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("sessions-%s-%s.csv", since.Format(time.DateOnly), until.Add(-time.Nanosecond).Format(time.DateOnly))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	_ = cw.Write(exportColumns)
	err = h.eachSession(r.Context(), since, until, r.URL.Query().Get("bot_id"), func(s *switchboard.Session) error {
		return cw.Write(exportRow(s))
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		// The header is sent: the export stops short, and the log says why.
		h.Log.ErrorContext(r.Context(), "admin: sessions export", "err", err)
	}
}

// exportRow is a session's row.
func exportRow(s *switchboard.Session) []string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	secs := func(from, to *time.Time) string {
		if from == nil || to == nil {
			return ""
		}
		return strconv.FormatInt(int64(to.Sub(*from)/time.Second), 10)
	}
	created := s.CreatedAt
	row := []string{
		s.ID, s.Client.BotID, s.Client.ChannelID, s.Client.UserID, s.Platform, string(s.State), string(s.EndReason),
		s.Team, s.Priority, strings.Join(s.Tags, ";"), s.AgentID, s.AgentName,
		at(&created), at(s.ClaimedAt), at(s.FirstReplyAt), at(s.EndedAt),
		secs(&created, s.ClaimedAt), secs(&created, s.FirstReplyAt), secs(s.ClaimedAt, s.EndedAt),
	}
	for i, v := range row {
		row[i] = cellSafe(v)
	}
	return row
}

// cellSafe keeps a value a customer or a bot chose (a user id, a tag, an
// agent's name) from being read as a formula by a spreadsheet: one that
// starts with = + - @ or a control character gets a leading quote.
func cellSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
