package gorgiassim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard/internal/simkit"
)

// maxBody is the largest request body the API takes (413 beyond).
const maxBody = 1 << 20

// serveAPI answers one REST request: outage, authentication, rate limit and
// injected failures first, as a real account would fail, then the resource.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string) {
	inj := s.Inject(r.Method)
	if inj.Outage {
		fail(w, http.StatusServiceUnavailable)
		return
	}
	user, ok := s.authenticate(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "Invalid credentials: use HTTP Basic with your email and a REST API key.", nil)
		return
	}
	if user.NoAPI {
		writeError(w, http.StatusForbidden, "You do not have the permission to access this resource.", nil)
		return
	}
	level, wait, allowed := s.limiter.take(s.now())
	w.Header().Set("X-Gorgias-Account-Api-Call-Limit", strconv.Itoa(level)+"/"+strconv.Itoa(s.limiter.capacity()))
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	if !allowed {
		fail(w, http.StatusTooManyRequests)
		return
	}
	inj.Serve(w, fail, func(w http.ResponseWriter) { s.route(w, r, path, user) })
}

// route dispatches to the resource handlers.
func (s *Server) route(w http.ResponseWriter, r *http.Request, path string, u User) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	id := func(i int) (int64, bool) {
		n, err := strconv.ParseInt(parts[i], 10, 64)
		return n, err == nil
	}
	m := r.Method
	switch {
	case len(parts) == 1 && parts[0] == "account" && m == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"domain": "simulator", "status": map[string]string{"status": "active"}})
	case len(parts) == 1 && parts[0] == "users" && m == http.MethodGet:
		s.listUsers(w, r)
	case len(parts) == 1 && parts[0] == "teams" && m == http.MethodGet:
		s.listTeams(w, r)
	case len(parts) == 1 && parts[0] == "customers":
		s.methods(w, m, map[string]func(){"GET": func() { s.listCustomers(w, r) }, "POST": func() { s.createCustomer(w, r) }})
	case len(parts) == 2 && parts[0] == "customers":
		if n, ok := id(1); ok {
			s.methods(w, m, map[string]func(){"GET": func() { s.getCustomer(w, n) }, "PUT": func() { s.updateCustomer(w, r, n) }})
			return
		}
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	case len(parts) == 1 && parts[0] == "tickets":
		s.methods(w, m, map[string]func(){"GET": func() { s.listTickets(w, r) }, "POST": func() { s.createTicket(w, r, u) }})
	case len(parts) == 2 && parts[0] == "tickets":
		if n, ok := id(1); ok {
			s.methods(w, m, map[string]func(){"GET": func() { s.getTicket(w, n) }, "PUT": func() { s.updateTicket(w, r, n, u) }, "DELETE": func() { s.deleteTicket(w, n) }})
			return
		}
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	case len(parts) == 3 && parts[0] == "tickets" && parts[2] == "messages":
		if n, ok := id(1); ok {
			s.methods(w, m, map[string]func(){"GET": func() { s.listTicketMessages(w, n) }, "POST": func() { s.createMessage(w, r, n, u) }})
			return
		}
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	case len(parts) == 4 && parts[0] == "tickets" && parts[2] == "messages":
		t, ok1 := id(1)
		mid, ok2 := id(3)
		if ok1 && ok2 {
			s.methods(w, m, map[string]func(){"GET": func() { s.getMessage(w, t, mid) }})
			return
		}
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	case len(parts) == 1 && parts[0] == "messages":
		s.methods(w, m, map[string]func(){"GET": func() { s.listMessages(w, r) }})
	case len(parts) == 1 && parts[0] == "integrations":
		s.methods(w, m, map[string]func(){"GET": func() { s.listIntegrations(w, r) }, "POST": func() { s.createIntegration(w, r) }})
	case len(parts) == 2 && parts[0] == "integrations":
		if n, ok := id(1); ok {
			s.methods(w, m, map[string]func(){"GET": func() { s.getIntegration(w, n) }, "PUT": func() { s.updateIntegration(w, r, n) }, "DELETE": func() { s.deleteIntegration(w, n) }})
			return
		}
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	default:
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	}
}

// methods runs the handler of the request's method, or answers 405.
func (s *Server) methods(w http.ResponseWriter, method string, handlers map[string]func()) {
	if h, ok := handlers[method]; ok {
		h()
		return
	}
	writeError(w, http.StatusMethodNotAllowed, "The specified HTTP method is not allowed.", nil)
}

// authenticate checks HTTP Basic: a user's email and API key.
func (s *Server) authenticate(r *http.Request) (User, bool) {
	email, key, ok := r.BasicAuth()
	if !ok {
		return User{}, false
	}
	for _, u := range s.cfg.Users {
		if strings.EqualFold(u.Email, email) && u.APIKey != "" && subtle.ConstantTimeCompare([]byte(u.APIKey), []byte(key)) == 1 {
			return u, true
		}
	}
	return User{}, false
}

// decodeBody reads a JSON body as Gorgias does: JSON only, size-limited.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusBadRequest, "Unsupported content type "+strconv.Quote(ct)+": send application/json.", nil)
		return false
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "Request entity too large.", nil)
		return false
	}
	if err != nil || json.Unmarshal(raw, v) != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON body.", nil)
		return false
	}
	return true
}

// writeJSON answers with a JSON body.
var writeJSON = simkit.WriteJSON

// writeError answers in Gorgias's error shape:
// {"error":{"msg":…,"data":{field:[…]}}}.
func writeError(w http.ResponseWriter, status int, msg string, data map[string]any) {
	e := map[string]any{"msg": msg}
	if len(data) > 0 {
		e["data"] = data
	}
	writeJSON(w, status, map[string]any{"error": e})
}

// fail answers a status with what Gorgias says with it.
func fail(w http.ResponseWriter, status int) {
	writeError(w, status, cannedMessage(status), nil)
}

// cannedMessage is what Gorgias says with a status.
func cannedMessage(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Invalid credentials."
	case http.StatusForbidden:
		return "You do not have the permission to access this resource."
	case http.StatusNotFound:
		return "Resource not found."
	case http.StatusConflict:
		return "The resource already exists."
	case http.StatusRequestEntityTooLarge:
		return "Request entity too large."
	case http.StatusTooManyRequests:
		return "Too many requests."
	case http.StatusBadGateway:
		return "Bad gateway."
	case http.StatusServiceUnavailable:
		return "An external service had an issue."
	}
	return http.StatusText(status)
}
