package chatwootsim

import (
	"net/http"
	"slices"
	"strings"
)

// Team is a team of an account's agents (Settings > Teams).
type Team struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
}

// priorities are what toggle_priority takes ("none" clears it).
var priorities = []string{"urgent", "high", "medium", "low", "none"}

// team finds a team of an account. The caller holds s.mu.
func (s *Server) team(account, id int64) *Team {
	for i := range s.cfg.Teams {
		if t := &s.cfg.Teams[i]; t.ID == id && t.AccountID == account {
			return t
		}
	}
	return nil
}

// listTeams answers GET /teams: the account's teams, as an array.
func (s *Server) listTeams(w http.ResponseWriter, account int64) {
	out := []map[string]any{}
	for _, t := range s.cfg.Teams {
		if t.AccountID == account {
			out = append(out, map[string]any{"id": t.ID, "name": t.Name, "description": "", "allow_auto_assign": true, "account_id": account, "is_member": true})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// assign answers POST /conversations/{id}/assignments: with assignee_id an
// agent (answered), else with team_id a team (answered); either emits
// conversation_updated with what changed. An unknown agent or team is 404,
// as Rails' find raises.
func (s *Server) assign(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in struct {
		AssigneeID *int64 `json:"assignee_id"`
		TeamID     *int64 `json:"team_id"`
	}
	s.onConversation(w, r, account, id, &in, func(cv *Conversation) {
		s.assignTo(w, account, cv, in.AssigneeID, in.TeamID)
	})
}

// assignTo assigns an agent or a team. The caller holds s.mu.
func (s *Server) assignTo(w http.ResponseWriter, account int64, cv *Conversation, assignee, team *int64) {
	switch {
	case assignee != nil:
		u := s.user(*assignee)
		if u == nil || u.Roles[account] == "" {
			writeError(w, http.StatusNotFound, "Resource could not be found")
			return
		}
		s.setAssignee(cv, u)
		writeJSON(w, http.StatusOK, map[string]any{"id": u.ID, "name": u.Name, "email": u.Email})
	case team != nil:
		t := s.team(account, *team)
		if t == nil {
			writeError(w, http.StatusNotFound, "Resource could not be found")
			return
		}
		cv.TeamID = t.ID
		s.emitConversation("conversation_updated", cv, []map[string]any{{"team_id": map[string]any{"current_value": t.ID}}})
		writeJSON(w, http.StatusOK, map[string]any{"id": t.ID, "name": t.Name})
	default:
		writeError(w, http.StatusUnprocessableEntity, "assignee_id or team_id is required")
	}
}

// setAssignee assigns an agent and emits conversation_updated. The caller
// holds s.mu.
func (s *Server) setAssignee(cv *Conversation, u *User) {
	cv.AssigneeID = u.ID
	s.emitConversation("conversation_updated", cv, []map[string]any{{"assignee_id": map[string]any{"current_value": u.ID}}})
}

// setLabels answers POST /conversations/{id}/labels: the labels replace
// the conversation's; the answer is the list.
func (s *Server) setLabels(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in struct {
		Labels []string `json:"labels"`
	}
	s.onConversation(w, r, account, id, &in, func(cv *Conversation) {
		cv.Labels = []string{}
		for _, l := range in.Labels {
			l = strings.ToLower(strings.TrimSpace(l))
			if l != "" && !slices.Contains(cv.Labels, l) {
				cv.Labels = append(cv.Labels, l)
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"payload": cv.Labels})
	})
}

// togglePriority answers POST /conversations/{id}/toggle_priority.
func (s *Server) togglePriority(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in struct {
		Priority string `json:"priority"`
	}
	s.onConversation(w, r, account, id, &in, func(cv *Conversation) {
		if !slices.Contains(priorities, in.Priority) {
			writeError(w, http.StatusUnprocessableEntity, "'"+in.Priority+"' is not a valid priority")
			return
		}
		cv.Priority = in.Priority
		if in.Priority == "none" {
			cv.Priority = ""
		}
		s.emitConversation("conversation_updated", cv, []map[string]any{{"priority": map[string]any{"current_value": nullable(cv.Priority)}}})
		w.WriteHeader(http.StatusOK)
	})
}

// onConversation decodes a request's body into in, then runs fn with the
// conversation under s.mu, or answers 404 when the account has none of
// that id.
func (s *Server) onConversation(w http.ResponseWriter, r *http.Request, account, id int64, in any, fn func(cv *Conversation)) {
	if !decodeBody(w, r, in) {
		return
	}
	s.inConversation(w, account, id, fn)
}

// routingData adds a conversation's assignee, team, labels and priority to
// its REST or push data. The caller holds s.mu.
func (s *Server) routingData(c *Conversation, out map[string]any) {
	meta := out["meta"].(map[string]any)
	meta["assignee"], meta["team"] = nil, nil
	if u := s.user(c.AssigneeID); u != nil && c.AssigneeID != 0 {
		meta["assignee"] = map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "type": "user"}
	}
	if t := s.team(c.AccountID, c.TeamID); t != nil {
		meta["team"] = map[string]any{"id": t.ID, "name": t.Name}
	}
	labels := c.Labels
	if labels == nil {
		labels = []string{}
	}
	out["labels"], out["priority"] = labels, nullable(c.Priority)
}
