package twiliosim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/channel/twilio"
)

// apiError answers Twilio's error JSON.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "more_info": "https://www.twilio.com/docs/errors/" + strconv.Itoa(code), "status": status})
}

// authorized checks Basic auth (AccountSid:AuthToken) and the account in
// the path.
func (s *Sim) authorized(w http.ResponseWriter, r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.cfg.AccountSID)) != 1 || subtle.ConstantTimeCompare([]byte(pass), []byte(s.cfg.AuthToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		apiError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return false
	}
	if r.PathValue("sid") != s.cfg.AccountSID {
		apiError(w, http.StatusNotFound, 20404, "The requested resource /2010-04-01/Accounts/"+r.PathValue("sid")+" was not found")
		return false
	}
	return true
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// maxBody and maxMedia are the REST API's limits on a message.
const (
	maxBody  = 1600
	maxMedia = 10
)

// getAccount is GET /2010-04-01/Accounts/{AccountSid}.json, the Account
// resource: its sid, friendly name and status (active).
func (s *Sim) getAccount(w http.ResponseWriter, r *http.Request) {
	sid, ok := strings.CutSuffix(r.PathValue("account"), ".json")
	if !ok {
		apiError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	r.SetPathValue("sid", sid)
	if !s.authorized(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"sid": sid, "friendly_name": "Switchboard simulator", "status": "active", "type": "Full",
		"uri": "/2010-04-01/Accounts/" + sid + ".json"})
}

// createMessage is POST Messages.json: the message is checked, queued and
// its statuses posted to its StatusCallback.
func (s *Sim) createMessage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.busy++
	over := s.busy > s.cfg.MaxConcurrent || s.throttle == 0
	if s.throttle > 0 {
		s.throttle--
	}
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.busy--; s.mu.Unlock() }()
	if s.faults.Take(r.Method).Outage {
		apiError(w, http.StatusServiceUnavailable, 20503, "Service Unavailable")
		return
	}
	if !s.authorized(w, r) {
		return
	}
	if over {
		apiError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
		return
	}
	if err := r.ParseForm(); err != nil {
		apiError(w, http.StatusBadRequest, 20001, "The request is not a form: "+err.Error())
		return
	}
	f := r.PostForm
	to, from, body, mediaURLs := f.Get("To"), f.Get("From"), f.Get("Body"), f["MediaUrl"]
	switch {
	case to == "":
		apiError(w, http.StatusBadRequest, 21604, "A 'To' phone number is required.")
		return
	case !e164.MatchString(to):
		apiError(w, http.StatusBadRequest, 21211, fmt.Sprintf("Invalid 'To' Phone Number: %s", to))
		return
	case from == "" && f.Get("MessagingServiceSid") == "":
		apiError(w, http.StatusBadRequest, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message")
		return
	case from != s.cfg.Number:
		apiError(w, http.StatusBadRequest, 21606, fmt.Sprintf("The 'From' phone number provided (%s) is not a valid message-capable Twilio phone number for this destination/account", from))
		return
	case body == "" && len(mediaURLs) == 0:
		apiError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	case utf8.RuneCountInString(body) > maxBody:
		apiError(w, http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit.")
		return
	case len(mediaURLs) > maxMedia:
		apiError(w, http.StatusBadRequest, 21623, "The number of media files exceeds the limit of 10.")
		return
	}
	enc, segs := twilio.Segments(body)
	m := Message{SID: sid("SM"), Direction: "outbound-api", From: from, To: to, Body: body, MediaURLs: mediaURLs, Encoding: enc, Segments: segs,
		Status: "queued", At: time.Now().UTC(), StatusCallback: f.Get("StatusCallback")}
	if len(mediaURLs) > 0 {
		m.SID = "MM" + m.SID[2:]
	}
	s.mu.Lock()
	s.attempts[to]++
	if s.optedOut[to] {
		s.mu.Unlock()
		apiError(w, http.StatusBadRequest, 21610, "Attempt to send to unsubscribed recipient")
		return
	}
	s.record(m)
	s.mu.Unlock()
	s.scheduleStatuses(m)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sid": m.SID, "account_sid": s.cfg.AccountSID, "from": m.From, "to": m.To, "body": m.Body, "status": m.Status,
		"num_segments": strconv.Itoa(m.Segments), "num_media": strconv.Itoa(len(mediaURLs)), "direction": m.Direction,
		"api_version": "2010-04-01", "error_code": nil, "error_message": nil, "date_created": m.At.Format(time.RFC1123Z),
		"uri": "/2010-04-01/Accounts/" + s.cfg.AccountSID + "/Messages/" + m.SID + ".json",
	})
}

// getMedia serves a file a customer sent, with Basic auth (Twilio's
// "HTTP Basic Authentication for media").
func (s *Sim) getMedia(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	s.mu.Lock()
	m, ok := s.media[r.PathValue("msg")+"/"+strings.TrimSuffix(r.PathValue("media"), ".json")]
	s.mu.Unlock()
	if !ok {
		apiError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	_, _ = w.Write(m.data)
}
