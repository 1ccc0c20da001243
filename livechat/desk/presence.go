package desk

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// presenceBody is what GET and PUT /desk/api/presence carry: the status the
// agent set, and when the agent last used the desk (the page tells on
// activity).
type presenceBody struct {
	Status   switchboard.PresenceStatus `json:"status"`
	ActiveAt *string                    `json:"active_at,omitempty"`
}

// presence answers the caller's presence; an agent who never set one is
// offline.
func (h *handler) presence(w http.ResponseWriter, r *http.Request, c *Caller) {
	var out switchboard.AgentPresence
	err := h.store.View(r.Context(), func(tx switchboard.Tx) error {
		all, err := tx.ListPresence(r.Context())
		for _, p := range all {
			if p.AgentID == c.Agent.ID {
				out = p
			}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("read presence: %w", err))
		return
	}
	h.answerPresence(w, out)
}

// setPresence sets the caller's status and marks the caller active now:
// the page sends it when the agent picks a status, and again, at most once
// a minute, while the agent uses the desk.
func (h *handler) setPresence(w http.ResponseWriter, r *http.Request, c *Caller) {
	var in presenceBody
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	switch in.Status {
	case switchboard.PresenceOnline, switchboard.PresenceAway, switchboard.PresenceOffline:
	default:
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "status %q is unknown: use online, away or offline", in.Status))
		return
	}
	p := switchboard.AgentPresence{AgentID: c.Agent.ID, Status: in.Status, ActiveAt: h.clock.Now()}
	if err := h.store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.PutPresence(r.Context(), p) }); err != nil {
		h.fail(w, r, fmt.Errorf("set presence: %w", err))
		return
	}
	h.answerPresence(w, p)
}

func (h *handler) answerPresence(w http.ResponseWriter, p switchboard.AgentPresence) {
	out := presenceBody{Status: p.Status}
	if out.Status == "" {
		out.Status = switchboard.PresenceOffline
	}
	if !p.ActiveAt.IsZero() {
		at := p.ActiveAt.UTC().Format(time.RFC3339)
		out.ActiveAt = &at
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// handbackValues checks the values an agent hands back at sign-off: at most
// livechat.MaxHandbackKeys, keys such as order_id, values of one line.
func handbackValues(in map[string]string) error {
	if len(in) > livechat.MaxHandbackKeys {
		return switchboard.Errorf(switchboard.EINVALID, "handback has %d values: hand back at most %d", len(in), livechat.MaxHandbackKeys)
	}
	for k, v := range in {
		if !livechat.HandbackKey.MatchString(k) {
			return switchboard.Errorf(switchboard.EINVALID, "handback key %q is not a name: use letters, digits and _ (such as order_id), starting with a letter or _", k)
		}
		if err := switchboard.CheckText("handback value of "+k, v, livechat.MaxHandbackValue); err != nil {
			return err
		}
		if strings.ContainsAny(v, "\r\n") {
			return switchboard.Errorf(switchboard.EINVALID, "handback value of %s has several lines: keep each value on one line", k)
		}
	}
	return nil
}
