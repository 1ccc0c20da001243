package admin

import (
	"net/http"
	"slices"
	"strings"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// listTeams answers the desk's teams.
func (h *handler) listTeams(w http.ResponseWriter, r *http.Request) {
	var teams []livechat.Team
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		teams, err = livechat.LoadTeams(r.Context(), tx)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if teams == nil {
		teams = []livechat.Team{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"teams": teams})
}

// teamBody is the body of PUT /v1/admin/teams/{id}.
type teamBody struct {
	Name   string   `json:"name"`
	Agents []string `json:"agents"`
}

// putTeam creates or replaces a team: its name and its agents, who must
// exist.
func (h *handler) putTeam(w http.ResponseWriter, r *http.Request) {
	var in teamBody
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	t := livechat.Team{ID: r.PathValue("id"), Name: strings.TrimSpace(in.Name), Agents: slices.Compact(slices.Sorted(slices.Values(in.Agents)))}
	if t.Agents == nil {
		t.Agents = []string{}
	}
	if err := t.Validate(); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	err := h.Store.Update(ctx, func(tx switchboard.Tx) error {
		for _, id := range t.Agents {
			if _, err := tx.Agent(ctx, id); switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
				return switchboard.Errorf(switchboard.EINVALID, "team.agents: there is no agent %q: use the ids GET /v1/admin/agents lists", id)
			} else if err != nil {
				return err
			}
		}
		teams, err := livechat.LoadTeams(ctx, tx)
		if err != nil {
			return err
		}
		if old := livechat.FindTeam(teams, t.ID); old != nil {
			*old = t
		} else {
			teams = append(teams, t)
		}
		return livechat.SaveTeams(ctx, tx, teams)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(ctx, "admin: team saved", "team", t.ID, "agents", t.Agents)
	httpx.WriteJSON(w, http.StatusOK, t)
}

// deleteTeam removes a team. Its waiting sessions stay routed to it, and
// every agent then sees them (a team the desk lacks is in the general
// queue).
func (h *handler) deleteTeam(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	err := h.Store.Update(ctx, func(tx switchboard.Tx) error {
		teams, err := livechat.LoadTeams(ctx, tx)
		if err != nil {
			return err
		}
		if livechat.FindTeam(teams, id) == nil {
			return switchboard.Errorf(switchboard.ENOTFOUND, "there is no team %q", id)
		}
		return livechat.SaveTeams(ctx, tx, slices.DeleteFunc(teams, func(t livechat.Team) bool { return t.ID == id }))
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(ctx, "admin: team deleted", "team", id)
	w.WriteHeader(http.StatusNoContent)
}
