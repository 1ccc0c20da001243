package teamssim

import (
	_ "embed"
	"encoding/json"
	"net/http"
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

// Switches are simkit's chaos switches and the forgery of the next
// activities.
type Switches struct {
	simkit.Switches
	Forge Forgery `json:"forge"`
}

// state is what the console shows.
func (s *Sim) state() map[string]any {
	sw := Switches{Switches: s.Switches()}
	s.mu.Lock()
	defer s.mu.Unlock()
	sw.Forge = s.forge
	convs := []Conversation{} // copies: the answer is written after mu is given back
	for _, id := range s.order {
		convs = append(convs, *s.convs[id])
	}
	return map[string]any{"settings": s.Settings(), "endpoint": s.endpoint, "conversations": convs, "switches": sw}
}

// serveControl answers the console's control API:
//
//	GET  /state                          the console's state
//	GET  /info                           the channel settings to paste
//	POST /endpoint {url}                 the bot's messaging endpoint
//	POST /users {name}                   a user installs the bot
//	POST /conversations/{id}/text {text} the user writes
//	POST /conversations/{id}/press {title} the user presses a button
//	POST /switches                       chaos switches and forgery
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	fail := func(status int, msg string) { simkit.WriteJSON(w, status, map[string]string{"error": msg}) }
	var in struct {
		URL   string `json:"url"`
		Name  string `json:"name"`
		Text  string `json:"text"`
		Title string `json:"title"`
	}
	if r.Method == http.MethodGet {
		switch path {
		case "/state":
			simkit.WriteJSON(w, http.StatusOK, s.state())
		case "/info":
			simkit.WriteJSON(w, http.StatusOK, s.Settings())
		default:
			fail(http.StatusNotFound, "no such control")
		}
		return
	}
	if r.Method != http.MethodPost {
		fail(http.StatusMethodNotAllowed, "POST")
		return
	}
	if path == "/switches" {
		var sw Switches
		if json.NewDecoder(http.MaxBytesReader(w, r.Body, simkit.MaxControlBody)).Decode(&sw) != nil {
			fail(http.StatusBadRequest, "send the switches as JSON")
			return
		}
		s.SetSwitches(sw.Switches)
		s.Forge(sw.Forge)
		simkit.WriteJSON(w, http.StatusOK, s.state()["switches"])
		return
	}
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, simkit.MaxControlBody)).Decode(&in) != nil {
		fail(http.StatusBadRequest, "send a JSON object")
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var id string
	var err error
	switch {
	case path == "/endpoint":
		if !strings.HasPrefix(in.URL, "http://") && !strings.HasPrefix(in.URL, "https://") {
			fail(http.StatusBadRequest, "the messaging endpoint must be an http(s) URL, as switchboard's /v1/channels/CHANNEL_ID/webhook")
			return
		}
		s.SetEndpoint(in.URL)
	case path == "/users":
		if strings.TrimSpace(in.Name) == "" {
			fail(http.StatusBadRequest, "name the user")
			return
		}
		id = s.AddUser(strings.TrimSpace(in.Name), "")
	case len(parts) == 3 && parts[0] == "conversations" && parts[2] == "text":
		if strings.TrimSpace(in.Text) == "" {
			fail(http.StatusBadRequest, "write a message")
			return
		}
		id, err = s.UserText(parts[1], in.Text)
	case len(parts) == 3 && parts[0] == "conversations" && parts[2] == "press":
		id, err = s.UserPress(parts[1], in.Title)
	default:
		fail(http.StatusNotFound, "no such control")
		return
	}
	if err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	simkit.WriteJSON(w, http.StatusOK, map[string]string{"id": id})
}
