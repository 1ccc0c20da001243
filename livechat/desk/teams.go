package desk

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/livechat"
)

// maxTransferNote bounds the note an agent gives with a transfer.
const maxTransferNote = 1000

// teamView is what an agent sees of the desk's teams: which queues they
// answer. The zero value (no teams) shows every queue to everyone.
type teamView struct {
	teams []livechat.Team
	// mine are the caller's teams; all is set for administrators, who
	// see every queue.
	mine []string
	all  bool
}

// teamsOf reads the desk's teams as the agent sees them.
func teamsOf(ctx context.Context, tx switchboard.Tx, a *switchboard.Agent) (teamView, error) {
	teams, err := livechat.LoadTeams(ctx, tx)
	if err != nil {
		return teamView{}, err
	}
	return teamView{teams: teams, mine: livechat.TeamsOf(teams, a.ID), all: a.Admin}, nil
}

// sees reports whether the agent sees a session of the desk (its bot
// aside): one of their teams' queues, the general queue (sessions without
// a team, or with a team the desk does not have, so nobody waits unseen),
// and whatever they were given.
func (v teamView) sees(a *switchboard.Agent, s *switchboard.Session) bool {
	return v.all || s.Team == "" || s.AgentID == a.ID || slices.Contains(v.mine, s.Team) || livechat.FindTeam(v.teams, s.Team) == nil
}

// teamName is the name agents see of a team id.
func (v teamView) teamName(id string) string {
	if t := livechat.FindTeam(v.teams, id); t != nil {
		return t.Name
	}
	return id
}

// transferTarget is an agent or a team a session can go to.
type transferTarget struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// teamsAnswer is the answer of GET /desk/api/teams: the caller's teams and
// where a session can be transferred.
type teamsAnswer struct {
	Mine   []string         `json:"mine"`
	Teams  []transferTarget `json:"teams"`
	Agents []transferTarget `json:"agents"`
}

// listTeams answers the desk's teams and agents, for transfers.
func (h *handler) listTeams(w http.ResponseWriter, r *http.Request, c *Caller) {
	ctx := r.Context()
	out := teamsAnswer{Mine: []string{}, Teams: []transferTarget{}, Agents: []transferTarget{}}
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		v, err := teamsOf(ctx, tx, c.Agent)
		if err != nil {
			return err
		}
		out.Mine = append(out.Mine, v.mine...)
		for _, t := range v.teams {
			out.Teams = append(out.Teams, transferTarget{ID: t.ID, Name: t.Name})
		}
		agents, err := tx.ListAgents(ctx)
		for _, a := range agents {
			if !a.Disabled {
				out.Agents = append(out.Agents, transferTarget{ID: a.ID, Name: a.Name})
			}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("list teams: %w", err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// transferBody is the body of POST /desk/api/sessions/{id}/transfer: an
// agent, or a team ("" = the general queue), and a note.
type transferBody struct {
	AgentID *string `json:"agent_id"`
	Team    *string `json:"team"`
	Note    string  `json:"note"`
}

// transfer hands a live desk session to another agent, or to a team's
// queue, with a note. Only the agent who has the session (or an
// administrator) transfers it; a waiting session anyone who sees it.
func (h *handler) transfer(w http.ResponseWriter, r *http.Request, c *Caller) {
	ctx, id := r.Context(), r.PathValue("id")
	var in transferBody
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	tr, err := h.transferOf(ctx, id, c, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.engine.Transfer(ctx, tr); err != nil {
		if switchboard.ErrorCode(err) == switchboard.EGONE {
			err = h.gone(ctx, id, c, "It was not transferred.")
		}
		h.fail(w, r, fmt.Errorf("transfer session %s: %w", id, err))
		return
	}
	// The session may have left the caller's desk (another agent's now, or
	// another team's queue): then the answer has no session.
	out := map[string]any{"transferred": true}
	err = h.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := deskSession(ctx, tx, id, c.Agent)
		if err != nil {
			return err
		}
		out["session"], err = h.item(ctx, tx, s, h.clock.Now())
		return err
	})
	if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
		h.fail(w, r, fmt.Errorf("read session %s: %w", id, err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// transferOf checks a transfer request against the session and the desk.
func (h *handler) transferOf(ctx context.Context, id string, c *Caller, in transferBody) (engine.Transfer, error) {
	tr := engine.Transfer{SessionID: id, By: c.Agent.Name, Note: strings.TrimSpace(in.Note)}
	if (in.AgentID == nil) == (in.Team == nil) {
		return tr, switchboard.Errorf(switchboard.EINVALID, "give agent_id (an agent's id) or team (a team's id, \"\" for the general queue), not both")
	}
	if err := switchboard.CheckText("note", tr.Note, maxTransferNote); err != nil {
		return tr, err
	}
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := deskSession(ctx, tx, id, c.Agent)
		if err != nil {
			return err
		}
		if !s.Live() {
			return h.gone(ctx, id, c, "It was not transferred.")
		}
		if s.AgentID != "" && s.AgentID != c.Agent.ID && !c.Agent.Admin {
			return switchboard.Errorf(switchboard.EFORBIDDEN, "%s has this conversation: only they or an administrator can transfer it", s.AgentName)
		}
		if in.Team != nil {
			tr.ToTeam = *in.Team
			teams, err := livechat.LoadTeams(ctx, tx)
			if err == nil && tr.ToTeam != "" && livechat.FindTeam(teams, tr.ToTeam) == nil {
				err = switchboard.Errorf(switchboard.EINVALID, "team %q does not exist: an administrator creates teams on the Teams page", tr.ToTeam)
			}
			return err
		}
		to, err := tx.Agent(ctx, *in.AgentID)
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND || err == nil && to.Disabled {
			return switchboard.Errorf(switchboard.EINVALID, "agent %q does not exist or is disabled: choose another agent", *in.AgentID)
		}
		if err != nil {
			return err
		}
		if !to.SeesBot(s.Client.BotID) {
			return switchboard.Errorf(switchboard.EINVALID, "%s does not answer this bot's conversations: choose another agent", to.Name)
		}
		tr.ToAgentID, tr.ToAgentName = to.ID, to.Name
		return nil
	})
	return tr, err
}
