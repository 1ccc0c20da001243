package gorgiassim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"switchboard/internal/simkit"
)

// The console page: the helpdesk seen by an agent, and the switches.
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
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/info" && r.Method == http.MethodGet:
		u := s.cfg.Users[0]
		writeJSON(w, http.StatusOK, map[string]string{"domain": s.URL, "username": u.Email, "api_key": u.APIKey, "agent": u.Name})
	case path == "/tickets" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Tickets())
	case len(parts) == 3 && parts[0] == "tickets" && parts[2] == "actions" && r.Method == http.MethodPost:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		var a Action
		if err != nil || json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&a) != nil {
			writeError(w, http.StatusBadRequest, "Send {\"kind\": \"reply\", \"text\": \"…\"} to /_sim/tickets/ID/actions.", nil)
			return
		}
		m, err := s.Act(id, a)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error(), nil)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"message": m})
	case path == "/integrations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Integrations())
	case path == "/integrations" && r.Method == http.MethodPost:
		s.controlAddIntegration(w, r)
	case path == "/deliveries" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Deliveries())
	case path == "/chaos" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.switches())
	case path == "/chaos" && r.Method == http.MethodPost:
		var c ChaosSwitches
		if json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&c) != nil {
			writeError(w, http.StatusBadRequest, "Send the switches as JSON.", nil)
			return
		}
		s.setSwitches(c)
		writeJSON(w, http.StatusOK, s.switches())
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

func (s *Server) switches() ChaosSwitches { return simkit.ReadSwitches(s.dispatch, &s.faults) }

func (s *Server) setSwitches(c ChaosSwitches) { c.Apply(s.dispatch, &s.faults) }
