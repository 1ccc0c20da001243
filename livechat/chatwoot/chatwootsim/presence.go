package chatwootsim

import (
	"fmt"
	"net/http"
)

// availability is a user's availability_status: online unless set.
func (u *User) availability() string {
	if u.Availability == "" {
		return "online"
	}
	return u.Availability
}

// SetAvailability sets a user's availability_status, as the user does
// from the dashboard's status menu.
func (s *Server) SetAvailability(userID int64, status string) error {
	switch status {
	case "online", "busy", "offline":
	default:
		return fmt.Errorf("chatwoot simulator: availability %q is not online, busy or offline", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.user(userID)
	if u == nil {
		return fmt.Errorf("chatwoot simulator: no user %d", userID)
	}
	u.Availability = status
	return nil
}

// listAgents answers GET /api/v1/accounts/{id}/agents: the account's users
// as Chatwoot's agent model renders them, availability_status included.
func (s *Server) listAgents(w http.ResponseWriter, account int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for i := range s.cfg.Users {
		u := &s.cfg.Users[i]
		role, ok := u.Roles[account]
		if !ok {
			continue
		}
		out = append(out, map[string]any{
			"id": u.ID, "account_id": account, "availability_status": u.availability(), "auto_offline": true,
			"confirmed": true, "email": u.Email, "provider": "email", "available_name": u.Name, "name": u.Name,
			"role": role, "thumbnail": "",
		})
	}
	writeJSON(w, http.StatusOK, out)
}
