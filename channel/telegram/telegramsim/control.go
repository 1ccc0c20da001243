package telegramsim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"switchboard/internal/simkit"
)

//go:embed console.html
var consoleHTML []byte

// serveConsole serves the console page.
func serveConsole(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src * data:")
	_, _ = w.Write(consoleHTML)
}

// Switches are the chaos switches with Telegram's own: a wrong secret.
type Switches struct {
	simkit.Switches
	WrongSecret bool `json:"wrong_secret"`
}

// Switches reads the chaos switches.
func (s *Sim) Switches() Switches {
	s.mu.Lock()
	wrong := s.wrongKey
	s.mu.Unlock()
	return Switches{Switches: simkit.ReadSwitches(s.serial, &s.faults), WrongSecret: wrong}
}

// SetSwitches sets every chaos switch; Throttle n answers the next n calls
// 429 with retry_after 2.
func (s *Sim) SetSwitches(sw Switches) {
	sw.Apply(s.serial, &s.faults)
	sw.Apply(s.parallel, &s.faults)
	s.mu.Lock()
	s.wrongKey = sw.WrongSecret
	s.notify()
	s.mu.Unlock()
}

// Throttle answers the next n calls 429 with parameters.retry_after.
func (s *Sim) Throttle(n, retryAfterSeconds int) {
	s.faults.Throttle(n, secondsDuration(retryAfterSeconds))
}

// state is what the console shows.
func (s *Sim) state() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Copies: the answer is written after mu is given back, and a message
	// may be edited in place meanwhile.
	chats := []Chat{}
	for _, id := range s.order {
		c := *s.chats[id]
		c.Messages = slices.Clone(c.Messages)
		chats = append(chats, c)
	}
	spinning := []Callback{}
	for _, cb := range s.callbacks {
		if !cb.Answered {
			spinning = append(spinning, *cb)
		}
	}
	calls := append([]Call{}, s.calls[max(0, len(s.calls)-40):]...)
	return map[string]any{"bot": s.cfg.Username, "api_base": s.URL(), "token": s.cfg.Token, "webhook": s.webhookInfo(), "chats": chats, "unanswered": spinning, "calls": calls}
}

// serveControl answers the console's control API.
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	fail := func(status int, msg string) { writeJSON(w, status, map[string]string{"error": msg}) }
	var in struct {
		FirstName string `json:"first_name"`
		Username  string `json:"username"`
		Text      string `json:"text"`
		Button    string `json:"button"`
		Blocked   bool   `json:"blocked"`
	}
	if r.Method == http.MethodPost && path != "/switches" {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
			fail(http.StatusBadRequest, "the body is not JSON: "+err.Error())
			return
		}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/state":
		st := s.state()
		st["switches"] = s.Switches()
		writeJSON(w, http.StatusOK, st)
	case r.Method == http.MethodPost && path == "/switches":
		var sw Switches
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&sw); err != nil {
			fail(http.StatusBadRequest, "the switches are not JSON: "+err.Error())
			return
		}
		s.SetSwitches(sw)
		writeJSON(w, http.StatusOK, s.Switches())
	case r.Method == http.MethodPost && path == "/users":
		if strings.TrimSpace(in.FirstName) == "" {
			fail(http.StatusBadRequest, "first_name is missing")
			return
		}
		writeJSON(w, http.StatusOK, map[string]int64{"chat_id": s.UserStart(in.FirstName, in.Username)})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "chats":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		var err error
		var out any
		switch parts[2] {
		case "text":
			out, err = s.UserText(id, in.Text)
		case "press":
			out, err = s.UserPress(id, in.Button)
		case "block":
			err = s.Block(id, in.Blocked)
		default:
			fail(http.StatusNotFound, "no such action: use text, press or block")
			return
		}
		if err != nil {
			fail(http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": out})
	default:
		fail(http.StatusNotFound, "no such control: GET /_sim/state, POST /_sim/switches, /_sim/users, /_sim/chats/{id}/text|press|block")
	}
}
