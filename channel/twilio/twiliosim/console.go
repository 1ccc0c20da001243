package twiliosim

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

//go:embed console.html
var consolePage []byte

// consoleRoutes serve the console page and what it calls.
func (s *Sim) consoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
		_, _ = w.Write(consolePage)
	})
	mux.HandleFunc("GET /sim/state", s.state)
	mux.HandleFunc("POST /sim/webhook", s.consoleWebhook)
	mux.HandleFunc("POST /sim/text", s.consoleText)
	mux.HandleFunc("POST /sim/outage", func(w http.ResponseWriter, r *http.Request) {
		s.SetOutage(r.PostFormValue("on") == "true")
		w.WriteHeader(http.StatusNoContent)
	})
}

// state is what the console shows: the number, its webhook and the
// conversations.
func (s *Sim) state(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := map[string]any{"account_sid": s.cfg.AccountSID, "number": s.cfg.Number, "webhook": s.webhook, "messages": append([]Message{}, s.messages...)}
	var opted []string
	for n, on := range s.optedOut {
		if on {
			opted = append(opted, n)
		}
	}
	out["opted_out"] = opted
	s.mu.Unlock()
	out["deliveries"] = s.hooks.Deliveries()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func consoleError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// consoleWebhook sets the number's messaging webhook URL.
func (s *Sim) consoleWebhook(w http.ResponseWriter, r *http.Request) {
	u := strings.TrimSpace(r.PostFormValue("url"))
	if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		consoleError(w, "the webhook URL must be an http(s) URL, as switchboard's /v1/channels/CHANNEL_ID/webhook")
		return
	}
	s.SetWebhook(u)
	w.WriteHeader(http.StatusNoContent)
}

// consoleText texts the number as a customer.
func (s *Sim) consoleText(w http.ResponseWriter, r *http.Request) {
	from, body := strings.TrimSpace(r.PostFormValue("from")), r.PostFormValue("body")
	if strings.TrimSpace(body) == "" {
		consoleError(w, "write a message to text")
		return
	}
	msid, err := s.CustomerText(r.Context(), from, body)
	if err != nil {
		consoleError(w, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"sid": msid})
}
