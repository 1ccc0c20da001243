package desk

import (
	"fmt"
	"net/http"

	"switchboard"
	"switchboard/httpx"
)

// typingBody is the body of POST /desk/api/sessions/{id}/typing.
type typingBody struct {
	Typing *bool `json:"typing"`
}

// typing shows (or hides) "an agent is typing" on the user's chat page while
// the caller writes a reply. Only the agent who holds the session may: typing
// does not claim, so a waiting session, or someone else's, is ECONFLICT. The
// indicator is a hint the engine keeps in memory; it lapses after 30 seconds
// unless sent again, and the agent's message ends it.
func (h *handler) typing(w http.ResponseWriter, r *http.Request, c *Caller) {
	var in typingBody
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Typing == nil {
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, `"typing" is missing: send {"typing": true} while writing, {"typing": false} to stop`))
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	s, err := h.readSession(ctx, id, c)
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case !s.Live():
		h.fail(w, r, h.gone(ctx, id, c, "The customer no longer sees you typing."))
		return
	case s.AgentID != c.Agent.ID:
		h.fail(w, r, switchboard.Errorf(switchboard.ECONFLICT, "the session is not yours: claim it (or reply) before typing shows to the customer"))
		return
	}
	if err := h.engine.AgentTyping(ctx, id, *in.Typing); err != nil {
		h.fail(w, r, fmt.Errorf("typing on session %s: %w", id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
