package admin

import (
	"net/http"
	"time"

	"switchboard"
	"switchboard/httpx"
)

// The dashboard's period: the last 30 days by default, a year at most.
const (
	defaultDays = 30
	maxDays     = 366
)

// statsOut is the dashboard: sessions per day, the median wait before an
// agent's first reply, and why sessions ended.
type statsOut struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Days has every day of the period, oldest first, zero when quiet.
	Days       []dayOut                      `json:"days"`
	EndReasons map[switchboard.EndReason]int `json:"end_reasons"`
	Sessions   int                           `json:"sessions"`
	Answered   int                           `json:"answered"`
	// MedianFirstReplySeconds is over the period's answered sessions.
	MedianFirstReplySeconds float64 `json:"median_first_reply_seconds"`
}

type dayOut struct {
	Day                     string  `json:"day"` // YYYY-MM-DD, UTC
	Sessions                int     `json:"sessions"`
	Answered                int     `json:"answered"`
	MedianFirstReplySeconds float64 `json:"median_first_reply_seconds"`
}

// stats answers the dashboard for the last ?days= days (UTC), of one bot
// (?bot_id=) or all.
func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	since, until, err := h.period(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := switchboard.StatsFilter{BotID: r.URL.Query().Get("bot_id"), Since: since, Until: until}
	var st switchboard.SessionStats
	err = h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		st, err = tx.SessionStats(r.Context(), f)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := statsOut{
		Since: f.Since, Until: f.Until, EndReasons: st.EndReasons, Sessions: st.Sessions, Answered: st.Answered,
		MedianFirstReplySeconds: st.MedianFirstReply.Seconds(),
	}
	byDay := map[time.Time]switchboard.DayStats{}
	for _, d := range st.Days {
		byDay[d.Day] = d
	}
	for d := f.Since; d.Before(f.Until); d = d.Add(24 * time.Hour) {
		s := byDay[d]
		out.Days = append(out.Days, dayOut{Day: d.Format(time.DateOnly), Sessions: s.Sessions, Answered: s.Answered,
			MedianFirstReplySeconds: s.MedianFirstReply.Seconds()})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
