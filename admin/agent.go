package admin

import (
	"net/http"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat/desk"
)

// listAgents answers every agent (never a password hash).
func (h *handler) listAgents(w http.ResponseWriter, r *http.Request) {
	var as []switchboard.Agent
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		as, err = tx.ListAgents(r.Context())
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if as == nil {
		as = []switchboard.Agent{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"agents": as})
}

// invitation is the body of POST /v1/admin/agents.
type invitation struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	// Password, when empty, is generated and answered once.
	Password string `json:"password,omitempty"`
	Admin    bool   `json:"admin,omitempty"`
	// Bots, when sent, are the only bots whose sessions the agent sees.
	Bots []string `json:"bots,omitempty"`
}

// invited is the answer of an invitation: the agent, and the generated
// password to hand over (this once).
type invited struct {
	Agent    *switchboard.Agent `json:"agent"`
	Password string             `json:"password,omitempty"`
}

// inviteAgent creates an agent account.
func (h *handler) inviteAgent(w http.ResponseWriter, r *http.Request) {
	var in invitation
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var out invited
	in.Password, out.Password = passwordToUse(in.Password)
	a, err := desk.AddAgent(r.Context(), h.Store, h.Clock, desk.NewAgent{
		Email: in.Email, Name: in.Name, Password: in.Password, Admin: in.Admin, Bots: in.Bots,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: agent invited", "agent", a.ID, "email", a.Email, "admin", a.Admin, "bots", a.Bots)
	out.Agent = a
	httpx.WriteJSON(w, http.StatusCreated, out)
}

// changeAgent renames, disables or enables an agent, or changes whether
// they are an administrator or which bots they answer.
func (h *handler) changeAgent(w http.ResponseWriter, r *http.Request) {
	var in desk.AgentChange
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := desk.ChangeAgent(r.Context(), h.Store, r.PathValue("id"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: agent changed", "agent", a.ID, "disabled", a.Disabled, "admin", a.Admin,
		"all_bots", a.AllBots, "bots", a.Bots)
	httpx.WriteJSON(w, http.StatusOK, a)
}

// signOutAgent ends every sign-in of an agent.
func (h *handler) signOutAgent(w http.ResponseWriter, r *http.Request) {
	a, err := desk.EndSignIns(r.Context(), h.Store, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: agent signed out everywhere", "agent", a.ID)
	w.WriteHeader(http.StatusNoContent)
}

// resetPassword gives an agent the password sent, or a generated one
// answered this once, and ends every sign-in it has.
func (h *handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Password string `json:"password"`
	}
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	var out invited
	in.Password, out.Password = passwordToUse(in.Password)
	a, err := desk.SetPassword(r.Context(), h.Store, r.PathValue("id"), in.Password)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: agent password reset", "agent", a.ID)
	out.Agent = a
	httpx.WriteJSON(w, http.StatusOK, out)
}

// passwordToUse returns the password an administrator sent, or a generated
// one, which is then also the one to answer (this once).
func passwordToUse(sent string) (use, answer string) {
	if sent != "" {
		return sent, ""
	}
	p := desk.NewPassword()
	return p, p
}
