package messengersim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"switchboard/channel/meta/metasim"
)

// maxJSON is the largest JSON request the API reads.
const maxJSON = 1 << 20

// graphError is an error the Graph API answers.
type graphError struct {
	status        int
	code, subcode int
	typ, message  string
}

func (e *graphError) Error() string { return e.message }

// write answers the Graph error envelope:
// {"error":{"message","type","code","error_subcode","fbtrace_id"}}.
func (e *graphError) write(w http.ResponseWriter) {
	body := map[string]any{"message": e.message, "type": e.typ, "code": e.code, "fbtrace_id": "A" + metasim.Digits(10) + "Sim"}
	if e.typ == "" {
		body["type"] = "OAuthException"
	}
	if e.subcode != 0 {
		body["error_subcode"] = e.subcode
	}
	writeJSON(w, e.status, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// The errors, as Meta words them.
func errToken() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 190, message: "Invalid OAuth access token - Cannot parse access token"}
}

func errParam(format string, a ...any) *graphError {
	return &graphError{status: http.StatusBadRequest, code: 100, message: "(#100) " + fmt.Sprintf(format, a...)}
}

func errNoUser() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 100, subcode: 2018001, message: "(#100) No matching user found"}
}

func errUnavailable() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 551, subcode: 1545041, message: "(#551) This person isn't available right now."}
}

func errWindow() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 10, subcode: 2018278, message: "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview"}
}

// errOutage is Meta's transient error 2, "Service temporarily
// unavailable", answered 503 while the API is down (SetOutage).
func errOutage() *graphError {
	return &graphError{status: http.StatusServiceUnavailable, code: 2, message: "(#2) Service temporarily unavailable"}
}

func errRate() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 613, message: "(#613) Calls to this api have exceeded the rate limit."}
}

func errNotOwner() *graphError {
	return &graphError{status: http.StatusBadRequest, code: 10, message: "(#10) The app is not the owner of the thread."}
}

func errNoObject(id string) *graphError {
	return &graphError{status: http.StatusBadRequest, code: 100, typ: "GraphMethodException",
		message: fmt.Sprintf("Unsupported request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id)}
}

// authorized checks the page token, as Bearer or access_token.
func (s *Sim) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("access_token")
	}
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.PageAccessToken)) == 1
}

// serveGraph serves the Graph API's paths the channel uses.
func (s *Sim) serveGraph(w http.ResponseWriter, r *http.Request, parts []string) {
	if s.faults.Take(r.Method).Outage {
		errOutage().write(w)
		return
	}
	if !s.authorized(r) {
		errToken().write(w)
		return
	}
	if len(parts) == 1 && r.Method == http.MethodGet && r.URL.Query().Get("fields") == "attachments" {
		s.serveAttachments(w, parts[0])
		return
	}
	if len(parts) == 1 && r.Method == http.MethodGet && (parts[0] == "me" || parts[0] == s.cfg.AccountID) {
		s.serveAccount(w)
		return
	}
	if len(parts) != 2 || (parts[0] != "me" && parts[0] != s.cfg.AccountID) {
		errNoObject(strings.Join(parts, "/")).write(w)
		return
	}
	if parts[1] == "thread_owner" && r.Method == http.MethodGet {
		s.serveThreadOwner(w, r.URL.Query().Get("recipient"))
		return
	}
	if r.Method != http.MethodPost {
		errNoObject(strings.Join(parts, "/")).write(w)
		return
	}
	var req map[string]any
	raw, _ := io.ReadAll(io.LimitReader(r.Body, maxJSON))
	if err := json.Unmarshal(raw, &req); err != nil {
		errParam("The request body is not JSON: %v", err).write(w)
		return
	}
	var ans any
	var err *graphError
	switch parts[1] {
	case "messages":
		ans, err = s.send(req)
	case "take_thread_control", "release_thread_control", "pass_thread_control":
		ans, err = s.threadControl(parts[1], req)
	default:
		err = errNoObject(strings.Join(parts, "/"))
	}
	if err != nil {
		err.write(w)
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// serveAccount answers GET /{page-id} (or /{ig-user-id}): the account's
// id and name, the fields every caller may read.
func (s *Sim) serveAccount(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]any{"id": s.cfg.AccountID, "name": "Switchboard simulator"})
}

// recipient reads recipient.id.
func recipient(req map[string]any) string {
	r, _ := req["recipient"].(map[string]any)
	id, _ := r["id"].(string)
	return id
}

// threadControl serves the Handover Protocol's calls for the app.
func (s *Sim) threadControl(op string, req map[string]any) (any, *graphError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[recipient(req)]
	if u == nil {
		return nil, errNoUser()
	}
	metadata, _ := req["metadata"].(string)
	app := s.cfg.AppID
	switch op {
	case "take_thread_control":
		s.handover(u, app, metadata, true)
	case "release_thread_control":
		if u.owner != app {
			return nil, errNotOwner()
		}
		s.handover(u, "", metadata, true)
	case "pass_thread_control":
		target, _ := req["target_app_id"].(string)
		if target == "" {
			return nil, errParam("target_app_id is required")
		}
		if u.owner != app && u.owner != "" {
			return nil, errNotOwner()
		}
		s.handover(u, target, metadata, true)
	}
	return map[string]bool{"success": true}, nil
}

// handover gives u's thread to owner ("" idle). The app is told when
// another app (the inbox) takes its thread or passes one to it; not of
// its own calls (byApp), as Meta tells the other party. The caller holds
// s.mu.
func (s *Sim) handover(u *user, owner, metadata string, byApp bool) {
	prev := u.owner
	u.owner = owner
	s.notify()
	app := s.cfg.AppID
	kind := ""
	switch {
	case byApp || prev == owner:
	case owner == app:
		kind = "pass_thread_control"
	case prev == app:
		kind = "take_thread_control"
	}
	if kind != "" {
		s.emit(u, map[string]any{kind: map[string]any{"previous_owner_app_id": nullable(prev), "new_owner_app_id": nullable(owner), "metadata": metadata}}, true)
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// serveThreadOwner answers who owns a user's thread.
func (s *Sim) serveThreadOwner(w http.ResponseWriter, id string) {
	s.mu.Lock()
	u := s.users[id]
	s.mu.Unlock()
	if u == nil {
		errNoUser().write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": []any{map[string]any{"thread_owner": map[string]any{"app_id": nullable(s.Owner(id))}}}})
}
