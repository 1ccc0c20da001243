package chatwootsim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"switchboard/internal/simkit"
)

// The console page: the dashboard seen by an agent, and the switches.
//
//go:embed console.html
var consoleHTML []byte

func serveConsole(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(consoleHTML)
}

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
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/info" && r.Method == http.MethodGet:
		s.mu.Lock()
		u := s.cfg.Users[0]
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"url": s.URL, "access_token": u.Token, "account_id": s.cfg.Accounts[0].ID, "agent": u.Name,
			"user_id": u.ID, "availability_status": u.availability()})
	case path == "/conversations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Conversations())
	case len(parts) == 3 && parts[0] == "conversations" && parts[2] == "actions" && r.Method == http.MethodPost:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		var a Action
		if err != nil || json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&a) != nil {
			writeError(w, http.StatusBadRequest, `Send {"kind": "reply", "text": "…"} to /_sim/conversations/ID/actions.`)
			return
		}
		m, err := s.Act(id, a)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"message": m})
	case len(parts) == 3 && parts[0] == "users" && parts[2] == "availability" && r.Method == http.MethodPost:
		id, err := strconv.ParseInt(parts[1], 10, 64)
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
	case path == "/inboxes" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Inboxes())
	case path == "/deliveries" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Deliveries())
	case path == "/chaos" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.switches())
	case path == "/chaos" && r.Method == http.MethodPost:
		var c ChaosSwitches
		if json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&c) != nil {
			writeError(w, http.StatusBadRequest, "Send the switches as JSON.")
			return
		}
		c.Apply(s.dispatch, &s.faults)
		s.SetBadSignatures(c.BadSignatures)
		writeJSON(w, http.StatusOK, s.switches())
	default:
		writeError(w, http.StatusNotFound, "Resource could not be found")
	}
}

func (s *Server) switches() ChaosSwitches {
	s.mu.Lock()
	bad := s.badSignatures
	s.mu.Unlock()
	return ChaosSwitches{Switches: simkit.ReadSwitches(s.dispatch, &s.faults), BadSignatures: bad}
}
