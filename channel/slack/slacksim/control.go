package slacksim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchboard/internal/simkit"
)

//go:embed console.html
var consoleHTML []byte

// serveConsole serves the console page.
func serveConsole(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src * data:")
	simkit.ServeConsole(w, consoleHTML)
}

// Switches are simkit's chaos switches with Slack's own: deliveries signed
// with another secret (Forge) or with a timestamp six minutes old (Stale).
type Switches struct {
	simkit.Switches
	Forge bool `json:"forge"`
	Stale bool `json:"stale"`
}

// Switches reads the chaos switches.
func (s *Sim) Switches() Switches {
	s.mu.Lock()
	forge, stale := s.forge, s.stale
	s.mu.Unlock()
	return Switches{Switches: simkit.ReadSwitches(s.hooks, &s.faults), Forge: forge, Stale: stale}
}

// SetSwitches sets every chaos switch.
func (s *Sim) SetSwitches(sw Switches) {
	sw.Apply(s.hooks, &s.faults)
	s.mu.Lock()
	s.forge, s.stale = sw.Forge, sw.Stale
	s.notify()
	s.mu.Unlock()
}

// Throttle answers the next n API calls 429 ratelimited with Retry-After
// retryAfter seconds.
func (s *Sim) Throttle(n, retryAfter int) {
	s.faults.Throttle(n, time.Duration(retryAfter)*time.Second)
}

// SetChaos sets the delivery switches.
func (s *Sim) SetChaos(c simkit.Chaos) { s.hooks.SetChaos(c) }

// SetOutage turns a Web API outage on or off: every call is answered HTTP
// 503 service_unavailable while it lasts (events are still delivered).
func (s *Sim) SetOutage(on bool) { s.faults.SetOutage(on) }

// HoldDeliveries keeps deliveries queued until ReleaseDeliveries: a
// delivery pipeline that is late, for as long as a test needs.
func (s *Sim) HoldDeliveries() { s.hooks.Hold() }

// ReleaseDeliveries makes the held deliveries, through the chaos switches.
func (s *Sim) ReleaseDeliveries() { s.hooks.Release() }

// FailNext answers the next n API calls with status.
func (s *Sim) FailNext(status, n int) { s.faults.FailNext(status, n) }

// state is what the console shows.
func (s *Sim) state() map[string]any {
	s.mu.Lock()
	convs := []Conversation{} // copies: a message may be edited in place once mu is given back
	for _, id := range s.order {
		c := *s.convs[id]
		c.Messages = slices.Clone(c.Messages)
		convs = append(convs, c)
	}
	users := []User{}
	for _, u := range s.users {
		users = append(users, *u)
	}
	calls := append([]Call{}, s.calls[max(0, len(s.calls)-40):]...)
	out := map[string]any{"bot_token": s.cfg.BotToken, "signing_secret": s.cfg.SigningSecret, "api_base": s.URL() + "/api",
		"request_url": s.eventsURL, "interactivity_url": s.actionsURL, "bot_user_id": BotUserID, "users": users, "conversations": convs, "calls": calls}
	s.mu.Unlock()
	d := s.hooks.Deliveries()
	out["deliveries"] = d[max(0, len(d)-40):]
	out["switches"] = s.Switches()
	return out
}

// serveControl answers the console's control API.
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	fail := func(msg string) { simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": msg}) }
	if r.Method == http.MethodGet && path == "/state" {
		simkit.WriteJSON(w, http.StatusOK, s.state())
		return
	}
	if r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	var in struct {
		Switches
		URL      string `json:"url"`
		Name     string `json:"name"`
		User     string `json:"user"`
		Channel  string `json:"channel"`
		ThreadTS string `json:"thread_ts"`
		TS       string `json:"ts"`
		Text     string `json:"text"`
		Button   string `json:"button"`
	}
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, simkit.MaxControlBody)).Decode(&in) != nil {
		fail("the body is not JSON")
		return
	}
	var out any
	var err error
	switch path {
	case "/switches":
		s.SetSwitches(in.Switches)
		out = s.Switches()
	case "/subscribe":
		err = s.Subscribe(r.Context(), strings.TrimSpace(in.URL))
	case "/users":
		if strings.TrimSpace(in.Name) == "" {
			fail("name is missing")
			return
		}
		out = s.AddUser(User{Name: strings.TrimSpace(in.Name)})
	case "/post":
		out, err = s.UserPost(Post{User: in.User, Channel: in.Channel, ThreadTS: in.ThreadTS, Text: in.Text})
	case "/press":
		err = s.UserPress(in.User, in.Channel, in.TS, in.Button)
	default:
		http.Error(w, "no such control: GET /_sim/state; POST /_sim/switches, /subscribe, /users, /post, /press", http.StatusNotFound)
		return
	}
	if err != nil {
		fail(err.Error())
		return
	}
	simkit.WriteJSON(w, http.StatusOK, map[string]any{"ok": true, "result": out})
}
