package chatwoot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// APIError is an answer of the Chatwoot API other than a success: what
// switchboard was doing (Op), the status, and what Chatwoot said.
type APIError struct {
	Op     string
	Status int
	Msg    string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chatwoot: %s: %d %s", e.Op, e.Status, http.StatusText(e.Status))
	if hint := statusHint(e.Status); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	return b.String()
}

// statusHint says in a few words what a status usually means with Chatwoot.
func statusHint(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "the access token was refused, or its user may not do this"
	case http.StatusForbidden:
		return "not allowed"
	case http.StatusNotFound:
		return "no such account, inbox or conversation"
	case http.StatusUnprocessableEntity:
		return "refused"
	case http.StatusTooManyRequests:
		return "rate limited"
	}
	return ""
}

// classify turns a failed answer into the error the outbox understands: 429
// carries its Retry-After (Chatwoot's rate limiter may send none: then a
// default delay); 408 and 5xx are transient; any other status is permanent,
// since sending the same request again gets the same answer.
func classify(op string, resp *http.Response, body []byte, now time.Time) error {
	e := &APIError{Op: op, Status: resp.StatusCode, Msg: parseErrorBody(body)}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return livechat.RetryAfter(e, driverkit.RetryAfter(resp.Header.Get("Retry-After"), now))
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		return e
	default:
		return livechat.Permanent(e)
	}
}

// parseErrorBody reads what Chatwoot says about an error, whatever its
// shape: {"error":"…"}, {"message":"…","attributes":[…]} (a validation),
// {"description":"…","errors":[{"field","message"}]}, {"errors":["…"]}, or
// text (an HTML page from a proxy is cut short).
func parseErrorBody(body []byte) string {
	var v struct {
		Error       any    `json:"error"`
		Message     string `json:"message"`
		Description string `json:"description"`
		Errors      []any  `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return driverkit.Shorten(driverkit.PageText(string(body)))
	}
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if s, ok := v.Error.(string); ok {
		add(s)
	}
	add(v.Message)
	add(v.Description)
	for _, e := range v.Errors {
		switch x := e.(type) {
		case string:
			add(x)
		case map[string]any:
			field, _ := x["field"].(string)
			msg, _ := x["message"].(string)
			add(strings.TrimSpace(field + " " + msg))
		}
	}
	return driverkit.Shorten(strings.Join(parts, "; "))
}
