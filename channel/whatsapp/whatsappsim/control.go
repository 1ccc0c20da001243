package whatsappsim

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"switchboard/internal/simkit"
)

// The phone page: conversations as bubbles, writing as the customer.
//
//go:embed phone.html
var phoneHTML []byte

func serveConsole(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(phoneHTML)
}

// Switches is every chaos switch as the console and the control API read
// and set them.
type Switches struct {
	simkit.Switches
	Batch           bool `json:"batch"`
	ReorderStatuses bool `json:"reorder_statuses"`
	LateStatusesMS  int  `json:"late_statuses_ms"`
	ManualRead      bool `json:"manual_read"`
	BadSignatures   bool `json:"bad_signatures"`
	Unsigned        bool `json:"unsigned"`
	ThroughputLimit int  `json:"throughput_limit"`
	PairLimit       int  `json:"pair_limit"`
	PairWindowMS    int  `json:"pair_window_ms"`
}

// ReadSwitches returns the switches as they are.
func (s *Sim) ReadSwitches() Switches {
	shared := simkit.ReadSwitches(s.dispatch, &s.faults)
	s.mu.Lock()
	defer s.mu.Unlock()
	sw := s.sw
	return Switches{Switches: shared, Batch: sw.batch, ReorderStatuses: sw.reorderStatuses, LateStatusesMS: int(sw.statusDelay / time.Millisecond),
		ManualRead: sw.manualRead, BadSignatures: sw.badSignatures, Unsigned: sw.unsigned, ThroughputLimit: sw.throughput,
		PairLimit: sw.pairLimit, PairWindowMS: int(sw.pairWindow / time.Millisecond)}
}

// ApplySwitches sets every switch.
func (s *Sim) ApplySwitches(c Switches) {
	c.Switches.Apply(s.dispatch, &s.faults)
	s.set(func(sw *switches) {
		sw.batch, sw.reorderStatuses, sw.statusDelay = c.Batch, c.ReorderStatuses, time.Duration(c.LateStatusesMS)*time.Millisecond
		sw.manualRead, sw.badSignatures, sw.unsigned, sw.throughput = c.ManualRead, c.BadSignatures, c.Unsigned, c.ThroughputLimit
		sw.pairLimit, sw.pairWindow = c.PairLimit, time.Duration(c.PairWindowMS)*time.Millisecond
	})
}

// Act is what a customer does on the phone page: write text, tap a
// button or row, share a location, send a file (base64), or read.
type Act struct {
	Name    string  `json:"name"`
	Text    string  `json:"text,omitempty"`
	ReplyID string  `json:"reply_id,omitempty"`
	Lat     float64 `json:"latitude,omitempty"`
	Lng     float64 `json:"longitude,omitempty"`
	// Location says Lat and Lng are set (0, 0 is a place).
	Location bool   `json:"location,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	Data     string `json:"data,omitempty"`
	Read     bool   `json:"read,omitempty"`
}

// serveControl answers the phone page's calls (no authentication: the
// simulator is a local tool):
//
//	GET  /_sim/info                        what to paste into switchboard, the webhook
//	POST /_sim/subscribe                   {"url"}: Meta's verification, then webhooks there
//	GET  /_sim/conversations               every customer's conversation
//	POST /_sim/customers/{wa_id}/act       a customer's act (Act)
//	GET  /_sim/deliveries                  what became of each webhook call
//	GET  /_sim/refused                     the send requests refused, with why
//	GET  /_sim/chaos, POST /_sim/chaos     the switches (Switches)
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	body := http.MaxBytesReader(w, r.Body, 8<<20)
	switch {
	case path == "/info" && r.Method == http.MethodGet:
		c := s.cfg
		writeJSON(w, http.StatusOK, map[string]any{"api_base": s.URL(), "phone_number_id": c.PhoneNumberID, "display_phone_number": c.DisplayPhoneNumber,
			"access_token": c.AccessToken, "app_secret": c.AppSecret, "verify_token": c.VerifyToken, "webhook": s.Webhook(), "verifications": s.Verifications()})
	case path == "/subscribe" && r.Method == http.MethodPost:
		var in struct {
			URL string `json:"url"`
		}
		if json.NewDecoder(body).Decode(&in) != nil || in.URL == "" {
			controlError(w, http.StatusBadRequest, `Send {"url": "https://…/v1/channels/ID/webhook"}.`)
			return
		}
		if err := s.Subscribe(r.Context(), in.URL); err != nil {
			controlError(w, http.StatusBadGateway, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"webhook": in.URL})
	case path == "/conversations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Conversations())
	case len(parts) == 3 && parts[0] == "customers" && parts[2] == "act" && r.Method == http.MethodPost:
		var a Act
		if err := json.NewDecoder(body).Decode(&a); err != nil {
			controlError(w, http.StatusBadRequest, "Send the act as JSON: "+err.Error())
			return
		}
		id, err := s.act(r, parts[1], a)
		if err != nil && !errors.Is(err, ErrNoWebhook) {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		out := map[string]any{"id": id}
		if err != nil {
			out["warning"] = "No webhook is subscribed: the message went nowhere. Subscribe switchboard's webhook URL first."
		}
		writeJSON(w, http.StatusOK, out)
	case path == "/deliveries" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Deliveries())
	case path == "/refused" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Refused())
	case path == "/chaos" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.ReadSwitches())
	case path == "/chaos" && r.Method == http.MethodPost:
		var c Switches
		if err := json.NewDecoder(body).Decode(&c); err != nil {
			controlError(w, http.StatusBadRequest, "Send the switches as JSON: "+err.Error())
			return
		}
		s.ApplySwitches(c)
		writeJSON(w, http.StatusOK, s.ReadSwitches())
	default:
		controlError(w, http.StatusNotFound, "No such control: see GET /_sim/info.")
	}
}

// act does what the phone page asked for the customer waID.
func (s *Sim) act(r *http.Request, waID string, a Act) (string, error) {
	ctx := r.Context()
	switch {
	case a.Read:
		s.CustomerRead(waID)
		return "", nil
	case a.ReplyID != "":
		return s.CustomerPress(ctx, waID, a.Name, a.ReplyID)
	case a.Location:
		return s.CustomerLocation(ctx, waID, a.Name, a.Lat, a.Lng)
	case a.Data != "":
		data, err := base64.StdEncoding.DecodeString(a.Data)
		if err != nil {
			return "", errors.New("the file's data is not base64")
		}
		return s.CustomerMedia(ctx, waID, a.Name, a.MimeType, data, a.Text)
	}
	return s.CustomerText(ctx, waID, a.Name, a.Text)
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
