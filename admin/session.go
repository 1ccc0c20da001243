package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// sessionOut is a livechat session as the administration shows it.
type sessionOut struct {
	ID        string                   `json:"id"`
	Client    switchboard.ClientKey    `json:"client"`
	Platform  string                   `json:"platform"`
	State     switchboard.SessionState `json:"state"`
	EndReason switchboard.EndReason    `json:"end_reason,omitempty"`
	// Error is what went wrong when a session failed (end reason error):
	// the reason the bot was told, then the driver's detail. ErrorReason is
	// the reason alone.
	Error       string                 `json:"error,omitempty"`
	ErrorReason livechat.FailureReason `json:"error_reason,omitempty"`
	AgentName   string                 `json:"agent_name,omitempty"`
	// TimeoutSeconds is the inactivity window the session was opened with.
	TimeoutSeconds int64           `json:"timeout_seconds"`
	Metadata       json.RawMessage `json:"metadata,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	FirstReplyAt   *time.Time      `json:"first_reply_at,omitempty"`
	LastActivityAt time.Time       `json:"last_activity_at"`
	// ExpiresAt is when a live session expires if nobody writes.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
}

func sessionOf(s switchboard.Session) sessionOut {
	out := sessionOut{
		ID: s.ID, Client: s.Client, Platform: s.Platform, State: s.State, EndReason: s.EndReason, Error: s.Error,
		AgentName: s.AgentName, TimeoutSeconds: int64(s.Timeout / time.Second), Metadata: s.Metadata,
		CreatedAt: s.CreatedAt, FirstReplyAt: s.FirstReplyAt, LastActivityAt: s.LastActivityAt, EndedAt: s.EndedAt,
	}
	out.ErrorReason, _ = livechat.SplitFailure(s.Error)
	if s.Live() {
		d := s.Deadline()
		out.ExpiresAt = &d
	}
	return out
}

// Session list bounds.
const (
	defaultSessions = 100
	maxSessions     = 1000
	transcriptLimit = 200
)

// listSessions answers sessions newest first: live ones (?state=live, the
// default), ended ones (?state=ended) or all, of one bot (?bot_id=) or all,
// a page of ?limit= at a time. When the page is full, "next" is the cursor of
// the next one: ?after= it.
func (h *handler) listSessions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := switchboard.SessionFilter{BotID: q.Get("bot_id"), Limit: defaultSessions}
	switch q.Get("state") {
	case "", "live":
		f.States = []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}
	case "ended":
		f.States = []switchboard.SessionState{switchboard.SessionEnded}
	case "all":
	default:
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "state %q is unknown: use live, ended or all", q.Get("state")))
		return
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSessions {
			h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "limit %q is out of range: use 1 to %d", v, maxSessions))
			return
		}
		f.Limit = n
	}
	f.After = q.Get("after")
	var ss []switchboard.Session
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		if f.After != "" {
			if _, err := tx.Session(r.Context(), f.After); switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
				return switchboard.Errorf(switchboard.EINVALID, "after %q is no session: use the \"next\" of the previous page", f.After)
			} else if err != nil {
				return err
			}
		}
		var err error
		ss, err = tx.ListSessions(r.Context(), f)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []sessionOut{}
	for _, s := range ss {
		out = append(out, sessionOf(s))
	}
	page := map[string]any{"sessions": out}
	if len(ss) == f.Limit {
		page["next"] = ss[len(ss)-1].ID
	}
	httpx.WriteJSON(w, http.StatusOK, page)
}

// sessionDetail is a session with its client's recent history: the bot
// conversation before it and its own messages.
type sessionDetail struct {
	Session    sessionOut            `json:"session"`
	Transcript []switchboard.Message `json:"transcript"`
}

// getSession answers a session and its transcript.
func (h *handler) getSession(w http.ResponseWriter, r *http.Request) {
	var out sessionDetail
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		s, err := tx.Session(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		out.Session = sessionOf(*s)
		out.Transcript, err = tx.LastMessages(r.Context(), s.Client, 0, transcriptLimit)
		if out.Transcript == nil {
			out.Transcript = []switchboard.Message{}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// endSession ends a live session: the platform is told, and the bot resumes
// with LIVECHAT_SESSION_END (event.reason "admin_ended").
func (h *handler) endSession(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var s *switchboard.Session
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		s, err = tx.Session(r.Context(), id)
		return err
	})
	if err == nil && !s.Live() {
		err = switchboard.Errorf(switchboard.ECONFLICT, "session %s has already ended (%s)", id, s.EndReason)
	}
	if err == nil {
		err = h.Engine.Close(r.Context(), id, switchboard.EndAdmin)
	}
	if err == nil {
		err = h.Store.View(r.Context(), func(tx switchboard.Tx) error {
			var err error
			s, err = tx.Session(r.Context(), id)
			return err
		})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: session ended", "session", id)
	httpx.WriteJSON(w, http.StatusOK, sessionOf(*s))
}
