package gorgiassim

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Triggers Gorgias offers on HTTP integrations.
var triggers = set("ticket-created", "ticket-updated", "ticket-message-created", "ticket-self-unsnoozed",
	"ticket-message-failed", "ticket-assignment-updated", "ticket-status-updated", "ticket-handed-over")

// integrationIn is an integration as a client creates or updates it.
type integrationIn struct {
	Type *string  `json:"type"`
	Name *string  `json:"name"`
	HTTP *hooksIn `json:"http"`
}

// hooksIn is the http part as a client sends it.
type hooksIn struct {
	URL                *string           `json:"url"`
	Method             *string           `json:"method"`
	Headers            map[string]string `json:"headers"`
	Form               json.RawMessage   `json:"form"`
	RequestContentType *string           `json:"request_content_type"`
	Triggers           map[string]bool   `json:"triggers"`
}

// hooks validates the http part and applies Gorgias's defaults (GET, JSON).
func (in integrationIn) hooks() (HTTPHooks, errs) {
	e := errs{}
	if in.Type == nil || *in.Type != "http" {
		e.add("type", "Only http integrations are simulated: use \"http\".")
	}
	if in.HTTP == nil || in.HTTP.URL == nil || strings.TrimSpace(*in.HTTP.URL) == "" {
		e.add("http.url", missingField)
		return HTTPHooks{}, e
	}
	h := HTTPHooks{URL: strings.TrimSpace(*in.HTTP.URL), Method: http.MethodGet, Headers: in.HTTP.Headers, Form: in.HTTP.Form,
		RequestContentType: "application/json", Triggers: in.HTTP.Triggers}
	if in.HTTP.Method != nil {
		h.Method = strings.ToUpper(*in.HTTP.Method)
	}
	if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}, h.Method) {
		e.add("http.method", "Must be one of: GET, POST, PUT, PATCH, DELETE, HEAD.")
	}
	if in.HTTP.RequestContentType != nil {
		h.RequestContentType = *in.HTTP.RequestContentType
	}
	if h.RequestContentType != "application/json" && h.RequestContentType != "application/x-www-form-urlencoded" {
		e.add("http.request_content_type", "Must be one of: application/json, application/x-www-form-urlencoded.")
	}
	// The Integration object's example spells triggers with underscores
	// ("ticket_message_created",
	// https://developers.gorgias.com/reference/the-integration-object),
	// other sources with hyphens: both are read, kept hyphenated.
	norm := map[string]bool{}
	for t, on := range h.Triggers {
		t = strings.ReplaceAll(t, "_", "-")
		if !triggers[t] {
			e.add("http.triggers", "Unknown trigger "+t+".")
		}
		norm[t] = on
	}
	h.Triggers = norm
	if h.Headers == nil {
		h.Headers = map[string]string{}
	}
	return h, e
}

// AddIntegration registers an HTTP integration, as an admin does in
// Settings > HTTP integration. An empty method is GET, and no triggers mean
// ticket-message-created only (the CSML Studio setup).
func (s *Server) AddIntegration(h HTTPHooks) (int64, error) {
	typ := "http"
	in := integrationIn{Type: &typ, HTTP: &hooksIn{URL: &h.URL, Headers: h.Headers, Form: h.Form, Triggers: h.Triggers}}
	if h.Method != "" {
		in.HTTP.Method = &h.Method
	}
	if h.RequestContentType != "" {
		in.HTTP.RequestContentType = &h.RequestContentType
	}
	if len(in.HTTP.Triggers) == 0 {
		in.HTTP.Triggers = map[string]bool{"ticket-message-created": true}
	}
	hooks, e := in.hooks()
	if len(e) > 0 {
		raw, _ := json.Marshal(e)
		return 0, errors.New("gorgias simulator: bad integration: " + string(raw))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIntegration("switchboard", hooks).ID, nil
}

// addIntegration stores an integration. The caller holds s.mu.
func (s *Server) addIntegration(name string, h HTTPHooks) *Integration {
	in := &Integration{ID: s.id("integration"), Type: "http", Name: name, HTTP: h, CreatedDatetime: timestamp(s.now())}
	s.integrations = append(s.integrations, in)
	return in
}

// Integrations returns the integrations, deactivated ones included.
func (s *Server) Integrations() []Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Integration, len(s.integrations))
	for i, in := range s.integrations {
		out[i] = *in
	}
	return out
}

func (s *Server) listIntegrations(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	writePage(w, s.Integrations(), func(i Integration) int64 { return i.ID }, limit, cur)
}

func (s *Server) createIntegration(w http.ResponseWriter, r *http.Request) {
	var in integrationIn
	if !decodeBody(w, r, &in) {
		return
	}
	h, e := in.hooks()
	if len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to create integration.", e)
		return
	}
	name := "HTTP integration"
	if in.Name != nil {
		name = *in.Name
	}
	s.mu.Lock()
	out := *s.addIntegration(name, h)
	s.mu.Unlock()
	writeJSON(w, s.cfg.CreateStatus, out)
}

// integration finds an integration. The caller holds s.mu.
func (s *Server) integration(id int64) *Integration {
	for _, in := range s.integrations {
		if in.ID == id {
			return in
		}
	}
	return nil
}

func (s *Server) getIntegration(w http.ResponseWriter, id int64) {
	inLock(s, w, func() *Integration { return s.integration(id) }, func(in *Integration) { writeJSON(w, http.StatusOK, in) })
}

// updateIntegration replaces the http part; saving also reactivates a
// deactivated integration, as saving it in the helpdesk does.
func (s *Server) updateIntegration(w http.ResponseWriter, r *http.Request, id int64) {
	var in integrationIn
	if !decodeBody(w, r, &in) {
		return
	}
	h, e := in.hooks()
	if len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to update integration.", e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.integration(id)
	if it == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	it.HTTP, it.DeactivatedDatetime, it.Failures = h, nil, 0
	if in.Name != nil {
		it.Name = *in.Name
	}
	writeJSON(w, http.StatusAccepted, *it)
}

func (s *Server) deleteIntegration(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.integrations, func(in *Integration) bool { return in.ID == id })
	if i < 0 {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	s.integrations = slices.Delete(s.integrations, i, i+1)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	writePage(w, s.cfg.Users, func(u User) int64 { return u.ID }, limit, cur)
}
