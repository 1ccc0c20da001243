package whatsappsim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"switchboard/channel/meta/metasim"
	"switchboard/internal/simkit"
)

// maxJSON is the largest JSON request the send API reads.
const maxJSON = 1 << 20

// traceID makes an fbtrace_id, as Graph adds to every error.
func traceID() string { return "A" + metasim.Digits(10) + "Sim" }

// writeGraphError answers the Graph error envelope:
// {"error":{"message","type","code","error_data":{"messaging_product","details"},"fbtrace_id"}}.
func writeGraphError(w http.ResponseWriter, e *GraphError) {
	body := map[string]any{"message": e.Message, "type": e.Type, "code": e.Code, "fbtrace_id": traceID()}
	if e.Type == "" {
		body["type"] = "OAuthException"
	}
	if e.Details != "" {
		body["error_data"] = map[string]any{"messaging_product": "whatsapp", "details": e.Details}
	}
	writeJSON(w, e.HTTPStatus, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Graph errors the simulator answers, as Meta words them.
func errToken() *GraphError {
	return &GraphError{HTTPStatus: http.StatusUnauthorized, Code: 190, Title: "Invalid OAuth access token",
		Message: "Invalid OAuth access token - Cannot parse access token"}
}

func errNoObject(id, method string) *GraphError {
	verb := map[string]string{http.MethodGet: "get", http.MethodDelete: "delete"}[method]
	if verb == "" {
		verb = "post"
	}
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 100, Type: "GraphMethodException", Title: "Invalid parameter",
		Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", verb, id)}
}

// errParam is code 100, "Invalid parameter", with what is wrong.
func errParam(details string) *GraphError {
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 100, Title: "Invalid parameter", Message: "(#100) Invalid parameter", Details: details}
}

// errMissing is 131008, a required parameter is missing.
func errMissing(details string) *GraphError {
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 131008, Title: "Required parameter is missing", Message: "(#131008) Required parameter is missing", Details: details}
}

// errValue is 131009, a parameter's value is not valid.
func errValue(details string) *GraphError {
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 131009, Title: "Parameter value is not valid", Message: "(#131009) Parameter value is not valid", Details: details}
}

func errOutage() *GraphError {
	return &GraphError{HTTPStatus: http.StatusServiceUnavailable, Code: 2, Title: "Service temporarily unavailable",
		Message: "(#2) Service temporarily unavailable", Details: "The service is temporarily unavailable; retry later."}
}

func errStatus(status int) *GraphError {
	return &GraphError{HTTPStatus: status, Code: 131000, Title: "Something went wrong", Message: "(#131000) Something went wrong",
		Details: fmt.Sprintf("Injected failure (%d %s).", status, http.StatusText(status))}
}

// errThroughput is 130429: the number's messages per second are spent.
// Meta's error table lists these rate limits with HTTP 400, others 429;
// the simulator answers 400 (drivers must branch on the code).
func errThroughput() *GraphError {
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 130429, Title: "Rate limit hit", Message: "(#130429) Rate limit hit",
		Details: "Cloud API message throughput has been reached."}
}

// errPair is 131056: too many messages to one customer in a short time.
func errPair() *GraphError {
	return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 131056, Title: "(Business Account, Consumer Account) pair rate limit hit",
		Message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
		Details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."}
}

// errWindow is 131047, in the `failed` status of a free-form message sent
// outside the customer service window.
func errWindow() *GraphError {
	return &GraphError{Code: 131047, Title: "Re-engagement message", Message: "Re-engagement message",
		Details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}
}

// authorized checks the Bearer token (or Graph's access_token parameter).
func (s *Sim) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("access_token")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.AccessToken)) == 1
}

// serveGraph answers the Graph API: injected faults first, then the token,
// then the object in the path.
func (s *Sim) serveGraph(w http.ResponseWriter, r *http.Request, parts []string) {
	inj := s.faults.Take(r.Method)
	if inj.Latency > 0 {
		time.Sleep(inj.Latency)
	}
	switch {
	case inj.Outage:
		writeGraphError(w, errOutage())
		return
	case !s.authorized(r):
		w.Header().Set("WWW-Authenticate", `OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"`)
		writeGraphError(w, errToken())
		return
	case inj.Throttle > 0:
		writeGraphError(w, errThroughput())
		return
	case inj.Status != 0:
		writeGraphError(w, errStatus(inj.Status))
		return
	}
	if inj.AfterApply {
		s.route(simkit.DiscardWriter{H: http.Header{}}, r, parts)
		writeGraphError(w, errStatus(http.StatusBadGateway))
		return
	}
	s.route(w, r, parts)
}

// route answers the object in the path.
func (s *Sim) route(w http.ResponseWriter, r *http.Request, parts []string) {
	switch {
	case len(parts) == 2 && parts[1] == "messages" && r.Method == http.MethodPost:
		if parts[0] != s.cfg.PhoneNumberID {
			writeGraphError(w, errNoObject(parts[0], r.Method))
			return
		}
		s.serveSend(w, r)
	case len(parts) == 2 && parts[1] == "media" && r.Method == http.MethodPost:
		if parts[0] != s.cfg.PhoneNumberID {
			writeGraphError(w, errNoObject(parts[0], r.Method))
			return
		}
		s.serveUpload(w, r)
	case len(parts) == 1 && parts[0] == s.cfg.PhoneNumberID && r.Method == http.MethodGet:
		s.servePhoneNumber(w)
	case len(parts) == 1 && parts[0] != "" && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		s.serveMedia(w, r, parts[0])
	default:
		id := strings.Join(parts, "/")
		writeGraphError(w, errNoObject(id, r.Method))
	}
}

// servePhoneNumber answers GET /{phone-number-id}: the business number's
// default fields, what a channel's "test webhook" check reads.
func (s *Sim) servePhoneNumber(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]any{"id": s.cfg.PhoneNumberID, "display_phone_number": s.cfg.DisplayPhoneNumber,
		"verified_name": VerifiedName, "quality_rating": "GREEN", "code_verification_status": "NOT_VERIFIED"})
}

// VerifiedName is the business name the simulated number shows.
const VerifiedName = "Switchboard simulator"
