package messengersim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// The console page: users, their conversations, acting as a user and as
// Meta's inbox.
//
//go:embed console.html
var consoleHTML []byte

func serveConsole(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(consoleHTML)
}

// State is what the console shows.
type State struct {
	Instagram  bool        `json:"instagram"`
	AccountID  string      `json:"account_id"`
	Webhook    string      `json:"webhook"`
	HumanAgent bool        `json:"human_agent"`
	Users      []UserState `json:"users"`
	Refused    []Refused   `json:"refused"`
}

// UserState is one user as the console shows them.
type UserState struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Owner       string    `json:"owner"`
	Blocked     bool      `json:"blocked"`
	LastInbound time.Time `json:"last_inbound"`
	Messages    []Message `json:"messages"`
}

// ReadState returns the simulator's state.
func (s *Sim) ReadState() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Instagram: s.cfg.Instagram, AccountID: s.cfg.AccountID, Webhook: s.webhook, HumanAgent: s.cfg.HumanAgent, Refused: append([]Refused{}, s.refused...)}
	for _, id := range s.order {
		u := s.users[id]
		us := UserState{ID: u.id, Name: u.name, Owner: u.owner, Blocked: u.blocked, LastInbound: u.lastInbound, Messages: []Message{}}
		for _, m := range u.messages {
			us.Messages = append(us.Messages, *m)
		}
		st.Users = append(st.Users, us)
	}
	return st
}

// controlRequest is the body of the control API's calls.
type controlRequest struct {
	User    string `json:"user"`
	Name    string `json:"name"`
	Text    string `json:"text"`
	Payload string `json:"payload"`
	URL     string `json:"url"`
	On      bool   `json:"on"`
	Hours   int    `json:"hours"`
}

// serveControl serves the console's API: GET /state; POST /subscribe,
// /text, /tap, /block, /age, /inbox/take, /inbox/reply, /inbox/done,
// /human_agent, /bad_signatures, /outage (the Graph API down while on).
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method == http.MethodGet && path == "/state" {
		writeJSON(w, http.StatusOK, s.ReadState())
		return
	}
	var c controlRequest
	if r.Method != http.MethodPost || json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON)).Decode(&c) != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "POST a JSON object"})
		return
	}
	var err error
	switch strings.TrimPrefix(path, "/") {
	case "subscribe":
		err = s.Subscribe(r.Context(), c.URL)
	case "text":
		_, err = s.UserText(c.User, c.Name, c.Text)
	case "tap":
		_, err = s.UserTap(c.User, c.Payload)
	case "block":
		s.Block(c.User, c.On)
	case "age":
		s.Age(c.User, time.Duration(c.Hours)*time.Hour)
	case "inbox/take":
		s.InboxTake(c.User)
	case "inbox/reply":
		s.InboxReply(c.User, c.Text)
	case "inbox/done":
		s.InboxDone(c.User)
	case "human_agent":
		s.SetHumanAgent(c.On)
	case "bad_signatures":
		s.SetBadSignatures(c.On)
	case "outage":
		s.SetOutage(c.On)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such control: " + path})
		return
	}
	if err != nil && err != ErrNoWebhook {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "warning": errText(err)})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
