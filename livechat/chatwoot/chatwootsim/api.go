package chatwootsim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"switchboard/internal/simkit"
)

// maxBody is the largest request body the API takes (413 beyond).
const maxBody = 10 << 20

// who is the caller of an API request: a user or an agent bot.
type who struct {
	user *User
	bot  *AgentBot
}

// role is the user's role in an account ("" when not a member).
func (c who) role(account int64) string {
	if c.user == nil {
		return ""
	}
	return c.user.Roles[account]
}

// serveAPI answers one API request: outage, authentication, rate limit and
// injected failures first, as a real instance would fail, then the
// resource. Read-only requests (GET, search filters) are never "applied
// then failed".
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string) {
	method := r.Method
	if strings.HasSuffix(path, "/contacts/filter") {
		method = http.MethodGet // a search, not a write
	}
	inj := s.Inject(method)
	if inj.Outage {
		fail(w, http.StatusServiceUnavailable)
		return
	}
	caller, ok := s.authenticate(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "Invalid Access Token")
		return
	}
	if !s.limiter.allow(clientIP(r), s.now()) {
		fail(w, http.StatusTooManyRequests)
		return
	}
	inj.Serve(w, fail, func(w http.ResponseWriter) { s.route(w, r, path, caller) })
}

// fail answers a status as Chatwoot does: its rate limiter (Rack::Attack)
// in text, anything else in the base controller's shape.
func fail(w http.ResponseWriter, status int) {
	if status == http.StatusTooManyRequests {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, "Retry later\n")
		return
	}
	writeError(w, status, http.StatusText(status))
}

// route dispatches to the resource handlers.
func (s *Server) route(w http.ResponseWriter, r *http.Request, path string, c who) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 1 && parts[0] == "profile" {
		if c.bot != nil {
			writeError(w, http.StatusUnauthorized, "Access to this endpoint is not authorized for bots")
			return
		}
		s.methods(w, r, map[string]func(){"GET": func() { s.profile(w, *c.user) }})
		return
	}
	if len(parts) < 3 || parts[0] != "accounts" {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	account, err := strconv.ParseInt(parts[1], 10, 64)
	s.mu.Lock()
	known := err == nil && s.account(account) != nil
	s.mu.Unlock()
	switch {
	case !known:
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	case c.user != nil && c.role(account) == "":
		writeError(w, http.StatusUnauthorized, "You are not authorized to access this account")
		return
	case c.bot != nil && !botAllowed(r.Method, parts[2:]):
		writeError(w, http.StatusUnauthorized, "Access to this endpoint is not authorized for bots")
		return
	}
	rest := parts[2:]
	id := func(i int) (int64, bool) {
		if i >= len(rest) {
			return 0, false
		}
		n, err := strconv.ParseInt(rest[i], 10, 64)
		return n, err == nil
	}
	n, hasID := id(1)
	switch {
	case rest[0] == "inboxes" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"GET": func() { s.listInboxes(w, account, c) }, "POST": func() { s.createInbox(w, r, account, c) }})
	case rest[0] == "inboxes" && len(rest) == 2 && hasID:
		s.methods(w, r, map[string]func(){"GET": func() { s.getInbox(w, account, n, c) }, "PATCH": func() { s.updateInbox(w, r, account, n, c) }})
	case rest[0] == "contacts" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"POST": func() { s.createContact(w, r, account) }})
	case rest[0] == "contacts" && len(rest) == 2 && rest[1] == "search":
		s.methods(w, r, map[string]func(){"GET": func() { s.searchContacts(w, r, account) }})
	case rest[0] == "contacts" && len(rest) == 2 && rest[1] == "filter":
		s.methods(w, r, map[string]func(){"POST": func() { s.filterContacts(w, r, account) }})
	case rest[0] == "contacts" && len(rest) == 2 && hasID:
		s.methods(w, r, map[string]func(){"GET": func() { s.getContact(w, account, n) }, "PUT": func() { s.updateContact(w, r, account, n) }})
	case rest[0] == "contacts" && len(rest) == 3 && hasID && rest[2] == "contact_inboxes":
		s.methods(w, r, map[string]func(){"POST": func() { s.createContactInbox(w, r, account, n) }})
	case rest[0] == "contacts" && len(rest) == 3 && hasID && rest[2] == "conversations":
		s.methods(w, r, map[string]func(){"GET": func() { s.contactConversations(w, account, n) }})
	case rest[0] == "conversations" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"POST": func() { s.createConversation(w, r, account, c) }})
	case rest[0] == "conversations" && len(rest) == 2 && hasID:
		s.methods(w, r, map[string]func(){"GET": func() { s.getConversation(w, account, n) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "toggle_status":
		s.methods(w, r, map[string]func(){"POST": func() { s.toggleStatus(w, r, account, n, c) }})
	case rest[0] == "teams" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"GET": func() { s.mu.Lock(); defer s.mu.Unlock(); s.listTeams(w, account) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "assignments":
		s.methods(w, r, map[string]func(){"POST": func() { s.assign(w, r, account, n) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "labels":
		s.methods(w, r, map[string]func(){"POST": func() { s.setLabels(w, r, account, n) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "toggle_priority":
		s.methods(w, r, map[string]func(){"POST": func() { s.togglePriority(w, r, account, n) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "toggle_typing_status":
		s.methods(w, r, map[string]func(){"POST": func() { s.toggleTyping(w, r, account, n, c) }})
	case rest[0] == "conversations" && len(rest) == 3 && hasID && rest[2] == "messages":
		s.methods(w, r, map[string]func(){"GET": func() { s.listMessages(w, r, account, n) }, "POST": func() { s.createMessage(w, r, account, n, c) }})
	case rest[0] == "conversations" && len(rest) == 4 && hasID && rest[2] == "messages":
		mid, ok := id(3)
		if !ok {
			writeError(w, http.StatusNotFound, "Resource could not be found")
			return
		}
		s.methods(w, r, map[string]func(){"PATCH": func() { s.updateMessage(w, r, account, n, mid) }, "DELETE": func() { s.deleteMessage(w, account, n, mid) }})
	case rest[0] == "agents" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"GET": func() { s.listAgents(w, account) }})
	case rest[0] == "canned_responses" && len(rest) == 1:
		s.methods(w, r, map[string]func(){"GET": func() { s.listCanned(w, account) }, "POST": func() { s.saveCanned(w, r, account, 0) }})
	case rest[0] == "canned_responses" && len(rest) == 2 && hasID:
		s.methods(w, r, map[string]func(){"PATCH": func() { s.saveCanned(w, r, account, n) }, "PUT": func() { s.saveCanned(w, r, account, n) }, "DELETE": func() { s.deleteCanned(w, account, n) }})
	default:
		writeError(w, http.StatusNotFound, "Resource could not be found")
	}
}

// botAllowed lists what an agent bot's token may call, as the latest
// AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS has it: a conversation's
// show, create, toggle_status, toggle_typing_status, toggle_priority (the
// update and custom_attributes actions this simulator does not serve);
// messages#create, assignments#create, labels#index and #create. Older
// versions allow fewer (toggle_status and messages#create only).
func botAllowed(method string, rest []string) bool {
	if len(rest) == 0 || rest[0] != "conversations" {
		return false
	}
	switch len(rest) {
	case 1:
		return method == http.MethodPost
	case 2:
		return method == http.MethodGet
	case 3:
		switch rest[2] {
		case "toggle_status", "toggle_typing_status", "toggle_priority", "messages", "assignments":
			return method == http.MethodPost
		case "labels":
			return method == http.MethodPost || method == http.MethodGet
		}
	}
	return false
}

// methods runs the handler of the request's method, or answers 404 as
// Rails does for a route it does not have.
func (s *Server) methods(w http.ResponseWriter, r *http.Request, handlers map[string]func()) {
	if h, ok := handlers[r.Method]; ok {
		h()
		return
	}
	writeError(w, http.StatusNotFound, "Resource could not be found")
}

// authenticate reads the api_access_token header (also as Rack spells it).
func (s *Server) authenticate(r *http.Request) (who, bool) {
	tok := r.Header.Get("api_access_token")
	if tok == "" {
		tok = r.Header.Get("HTTP_API_ACCESS_TOKEN")
	}
	if tok == "" {
		return who{}, false
	}
	for i, u := range s.cfg.Users {
		if subtle.ConstantTimeCompare([]byte(u.Token), []byte(tok)) == 1 {
			return who{user: &s.cfg.Users[i]}, true
		}
	}
	for i, b := range s.cfg.Bots {
		if subtle.ConstantTimeCompare([]byte(b.Token), []byte(tok)) == 1 {
			return who{bot: &s.cfg.Bots[i]}, true
		}
	}
	return who{}, false
}

// clientIP is the request's client address, for the rate limit.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// decodeBody reads a JSON body, size-limited.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return false
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		raw = []byte("{}")
	}
	if err != nil || json.Unmarshal(raw, v) != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON body")
		return false
	}
	return true
}

// writeJSON answers with a JSON body.
var writeJSON = simkit.JSONWriter("application/json; charset=utf-8")

// writeError answers in the shape of Chatwoot's base controller:
// {"error": "…"}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeInvalid answers a failed validation as ActiveRecord's does: 422
// {"message": full messages, "attributes": [fields]}.
func writeInvalid(w http.ResponseWriter, errs []fieldError) {
	msgs, attrs := make([]string, len(errs)), make([]string, len(errs))
	for i, e := range errs {
		msgs[i], attrs[i] = e.msg, e.field
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": strings.Join(msgs, ", "), "attributes": attrs})
}

// fieldError is one failed validation.
type fieldError struct{ field, msg string }
