package gorgiassim

import (
	"net/http"
	"slices"
	"strings"
)

// Team is a team of the helpdesk's agents (Settings > Teams).
type Team struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TicketTag is a ticket's tag.
type TicketTag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ticketPriorities are Gorgias's ticket priorities.
var ticketPriorities = []string{"critical", "high", "normal", "low"}

// idRef is a nested object given by id ({"id": 3}); a null id unassigns.
type idRef struct {
	ID *int64 `json:"id"`
}

// tagIn is a tag as a client gives it: by name.
type tagIn struct {
	Name *string `json:"name"`
}

// checkRouting validates a ticket's priority, tags and assignees. The
// caller holds s.mu.
func (s *Server) checkRouting(in ticketIn, e errs) {
	if in.Priority != nil && !slices.Contains(ticketPriorities, *in.Priority) {
		e.add("priority", "Must be one of: critical, high, normal, low.")
	}
	for _, t := range in.Tags {
		if t.Name == nil || strings.TrimSpace(*t.Name) == "" || len(*t.Name) > 256 {
			e.add("tags", "Each tag needs a name of 1 to 256 characters.")
			break
		}
	}
	if in.AssigneeTeam != nil && in.AssigneeTeam.ID != nil && s.team(*in.AssigneeTeam.ID) == nil {
		e.add("assignee_team", "Team not found.")
	}
	if in.AssigneeUser != nil && in.AssigneeUser.ID != nil {
		if _, ok := s.agent(*in.AssigneeUser.ID); !ok || *in.AssigneeUser.ID == 0 {
			e.add("assignee_user", "User not found.")
		}
	}
}

// applyRouting sets what a create or an update gives; it reports whether
// the assignee changed. The caller holds s.mu and checked in.
func (s *Server) applyRouting(t *Ticket, in ticketIn) (assigned bool) {
	if in.Priority != nil {
		t.Priority = *in.Priority
	}
	if in.Tags != nil {
		t.Tags = []TicketTag{}
		for _, tag := range in.Tags {
			t.Tags = append(t.Tags, s.tag(strings.TrimSpace(*tag.Name)))
		}
	}
	if in.AssigneeTeam != nil {
		t.AssigneeTeam = nil
		if in.AssigneeTeam.ID != nil {
			tm := s.team(*in.AssigneeTeam.ID)
			t.AssigneeTeam = &Team{ID: tm.ID, Name: tm.Name}
		}
	}
	if in.AssigneeUser != nil {
		t.AssigneeUser, assigned = nil, true
		if in.AssigneeUser.ID != nil {
			u, _ := s.agent(*in.AssigneeUser.ID)
			t.AssigneeUser = userPerson(u)
		}
	}
	return assigned
}

// tag returns the account's tag of this name, made when new. The caller
// holds s.mu.
func (s *Server) tag(name string) TicketTag {
	for _, t := range s.tags {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	t := TicketTag{ID: s.id("tag"), Name: name}
	s.tags = append(s.tags, t)
	return t
}

// team finds a team. The caller holds s.mu.
func (s *Server) team(id int64) *Team {
	for i := range s.cfg.Teams {
		if s.cfg.Teams[i].ID == id {
			return &s.cfg.Teams[i]
		}
	}
	return nil
}

// listTeams answers GET /api/teams, a page at a time.
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	writePage(w, slices.Clone(s.cfg.Teams), func(t Team) int64 { return t.ID }, limit, cur)
}

// assign makes an agent the ticket's assignee and emits
// ticket-assignment-updated. The caller holds s.mu.
func (s *Server) assign(t *Ticket, u User) {
	t.AssigneeUser, t.UpdatedDatetime = userPerson(u), timestamp(s.now())
	s.emit("ticket-assignment-updated", t, nil, u.ID)
}
