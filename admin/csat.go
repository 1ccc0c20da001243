package admin

import (
	"net/http"
	"strconv"
	"time"

	"switchboard"
	"switchboard/httpx"
)

// maxCSATAnswers bounds the latest answers the dashboard lists.
const maxCSATAnswers = 50

// csatOut is the satisfaction surveys of a period: the counts per bot,
// team and agent, and the latest answers with their comments.
type csatOut struct {
	Since     time.Time                `json:"since"`
	Until     time.Time                `json:"until"`
	Summaries []csatSummaryOut         `json:"summaries"`
	Answers   []switchboard.CSATAnswer `json:"answers"`
}

type csatSummaryOut struct {
	switchboard.CSATSummary
	Rated int `json:"rated"`
	// Average is the mean rating, 0 when nobody rated.
	Average float64 `json:"average"`
}

// csat answers the surveys asked in the last ?days= days (UTC), of one bot
// (?bot_id=) or all.
func (h *handler) csat(w http.ResponseWriter, r *http.Request) {
	since, until, err := h.period(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := switchboard.CSATFilter{BotID: r.URL.Query().Get("bot_id"), Since: since, Until: until}
	var sums []switchboard.CSATSummary
	var answers []switchboard.CSATAnswer
	err = h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if sums, err = tx.CSATSummaries(r.Context(), f); err != nil {
			return err
		}
		lf := f
		lf.Limit = maxCSATAnswers
		answers, err = tx.ListCSAT(r.Context(), lf)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := csatOut{Since: f.Since, Until: f.Until, Summaries: []csatSummaryOut{}, Answers: answers}
	if out.Answers == nil {
		out.Answers = []switchboard.CSATAnswer{}
	}
	for _, s := range sums {
		out.Summaries = append(out.Summaries, csatSummaryOut{CSATSummary: s, Rated: s.Rated(), Average: s.Average()})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// period reads the dashboard's period, the last ?days= days (UTC) up to the
// end of today.
func (h *handler) period(r *http.Request) (since, until time.Time, err error) {
	days := defaultDays
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDays {
			return since, until, switchboard.Errorf(switchboard.EINVALID, "days %q is out of range: use 1 to %d", v, maxDays)
		}
		days = n
	}
	until = h.Clock.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return until.AddDate(0, 0, -days), until, nil
}
