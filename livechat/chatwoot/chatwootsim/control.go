package chatwootsim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"switchboard/internal/simkit"
)

// consolePage is the console: the dashboard seen by an agent, the
// inboxes, and the switches.
//
//go:embed console.html
var consoleParts string

var consolePage = simkit.Console(consoleParts)

// ChaosSwitches is every switch as the console and the control API read
// and set them.
type ChaosSwitches struct {
	simkit.Switches
	// BadSignatures signs webhook calls with a wrong secret.
	BadSignatures bool `json:"bad_signatures"`
}

// serveControl answers the test controls (no authentication: the simulator
// is a local tool):
//
//	GET  /_sim/info                          what to paste into switchboard, the agent and its availability
//	GET  /_sim/conversations                 every conversation with its messages
//	POST /_sim/conversations/{id}/actions    an agent's action ({"kind":"reply","text":…})
//	GET  /_sim/inboxes                       the inboxes and their webhooks
//	GET  /_sim/deliveries                    what became of each webhook call
//	GET  /_sim/chaos, POST /_sim/chaos       the switches (ChaosSwitches)
//	POST /_sim/users/{id}/availability       a user's availability ({"availability_status":"busy"})
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	ctl := simkit.Control[ChaosSwitches, Action]{
		Sim: &s.Sim, Switches: s.switches, SetSwitches: s.setSwitches,
		Info: func() any {
			s.mu.Lock()
			u := s.cfg.Users[0]
			s.mu.Unlock()
			return map[string]any{"url": s.URL, "access_token": u.Token, "account_id": s.cfg.Accounts[0].ID, "agent": u.Name,
				"user_id": u.ID, "availability_status": u.availability()}
		},
		Threads: "conversations", Act: func(id int64, a Action) (any, error) { return s.Act(id, a) },
		ActHelp: `Send {"kind": "reply", "text": "…"} to /_sim/conversations/ID/actions.`,
		Fail:    func(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg) },
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case ctl.Serve(w, r, path):
	case path == "/conversations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Conversations())
	case len(parts) == 3 && parts[0] == "users" && parts[2] == "availability" && r.Method == http.MethodPost:
		s.serveAvailability(w, r, parts[1])
	case path == "/inboxes" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Inboxes())
	default:
		writeError(w, http.StatusNotFound, "Resource could not be found")
	}
}

func (s *Server) switches() ChaosSwitches {
	s.mu.Lock()
	bad := s.badSignatures
	s.mu.Unlock()
	return ChaosSwitches{Switches: s.Switches(), BadSignatures: bad}
}

func (s *Server) setSwitches(c ChaosSwitches) {
	s.SetSwitches(c.Switches)
	s.SetBadSignatures(c.BadSignatures)
}

// serveAvailability sets a user's availability from the console or a test.
func (s *Server) serveAvailability(w http.ResponseWriter, r *http.Request, user string) {
	id, err := strconv.ParseInt(user, 10, 64)
	var in struct {
		Status string `json:"availability_status"`
	}
	if err == nil {
		err = json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in)
	}
	if err == nil {
		err = s.SetAvailability(id, in.Status)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, `Send {"availability_status": "online", "busy" or "offline"} to /_sim/users/ID/availability: `+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"availability_status": in.Status})
}
