package chatwootsim

import (
	_ "embed"
	"net/http"

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
//	GET  /_sim/info                          what to paste into switchboard
//	GET  /_sim/conversations                 every conversation with its messages
//	POST /_sim/conversations/{id}/actions    an agent's action ({"kind":"reply","text":…})
//	GET  /_sim/inboxes                       the inboxes and their webhooks
//	GET  /_sim/deliveries                    what became of each webhook call
//	GET  /_sim/chaos, POST /_sim/chaos       the switches (ChaosSwitches)
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	ctl := simkit.Control[ChaosSwitches, Action]{
		Sim: &s.Sim, Switches: s.switches, SetSwitches: s.setSwitches,
		Info: func() any {
			u := s.cfg.Users[0]
			return map[string]any{"url": s.URL, "access_token": u.Token, "account_id": s.cfg.Accounts[0].ID, "agent": u.Name}
		},
		Threads: "conversations", Act: func(id int64, a Action) (any, error) { return s.Act(id, a) },
		ActHelp: `Send {"kind": "reply", "text": "…"} to /_sim/conversations/ID/actions.`,
		Fail:    func(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg) },
	}
	switch {
	case ctl.Serve(w, r, path):
	case path == "/conversations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Conversations())
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
