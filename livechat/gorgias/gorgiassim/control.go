package gorgiassim

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"switchboard/internal/simkit"
)

// consolePage is the console: the helpdesk seen by an agent, the HTTP
// integrations, and the switches.
//
//go:embed console.html
var consoleParts string

var consolePage = simkit.Console(consoleParts)

// ChaosSwitches is every switch as the console and the control API read
// and set them.
type ChaosSwitches = simkit.Switches

// serveControl answers the test controls (no authentication: the simulator
// is a local tool):
//
//	GET  /_sim/info                   the credentials to paste into switchboard
//	GET  /_sim/tickets                every ticket with its messages
//	POST /_sim/tickets/{id}/actions   an agent's action ({"kind":"reply","text":…})
//	GET  /_sim/integrations           the HTTP integrations
//	POST /_sim/integrations           add one ({"url", "method", "triggers":[…]})
//	GET  /_sim/deliveries             what became of each webhook call
//	GET  /_sim/chaos, POST /_sim/chaos the switches (ChaosSwitches)
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	ctl := simkit.Control[ChaosSwitches, Action]{
		Sim: &s.Sim, Switches: s.Switches, SetSwitches: s.SetSwitches,
		Info: func() any {
			u := s.cfg.Users[0]
			return map[string]string{"domain": s.URL, "username": u.Email, "api_key": u.APIKey, "agent": u.Name}
		},
		Threads: "tickets", Act: func(id int64, a Action) (any, error) { return s.Act(id, a) },
		ActHelp: `Send {"kind": "reply", "text": "…"} to /_sim/tickets/ID/actions.`,
		Fail:    func(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg, nil) },
	}
	switch {
	case ctl.Serve(w, r, path):
	case path == "/tickets" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Tickets())
	case path == "/integrations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Integrations())
	case path == "/integrations" && r.Method == http.MethodPost:
		s.controlAddIntegration(w, r)
	default:
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	}
}

func (s *Server) controlAddIntegration(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL      string            `json:"url"`
		Method   string            `json:"method"`
		Headers  map[string]string `json:"headers"`
		Triggers []string          `json:"triggers"`
	}
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in) != nil {
		writeError(w, http.StatusBadRequest, "Send {\"url\": \"…\"}.", nil)
		return
	}
	h := HTTPHooks{URL: in.URL, Method: in.Method, Headers: in.Headers, Triggers: map[string]bool{}}
	for _, t := range in.Triggers {
		h.Triggers[t] = true
	}
	id, err := s.AddIntegration(h)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}
