package chatwoot

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

func TestErrorBodiesAreReadWhateverTheirShape(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":"Invalid Access Token"}`:                                                      "Invalid Access Token",
		`{"message":"Email has already been taken","attributes":["email"]}`:                     "Email has already been taken",
		`{"description":"Bad request","errors":[{"field":"inbox_id","message":"is required"}]}`: "Bad request; inbox_id is required",
		`{"errors":["Too many messages"]}`:                                                      "Too many messages",
		`<html><body><h1>502 Bad Gateway</h1></body></html>`:                                    "502 Bad Gateway",
		"Retry later\n": "Retry later",
		``:              "",
	} {
		if got := parseErrorBody([]byte(body)); got != want {
			t.Errorf("body %s: got %q, want %q", body, got, want)
		}
	}
}

func TestStatusesAreClassifiedForTheOutbox(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	resp := func(status int, retry string) *http.Response {
		h := http.Header{}
		if retry != "" {
			h.Set("Retry-After", retry)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	for _, status := range []int{400, 401, 403, 404, 422} {
		if err := classify("op", resp(status, ""), nil, now); !livechat.IsPermanent(err) || statusOf(err) != status {
			t.Errorf("%d: %v should be permanent", status, err)
		}
	}
	for _, status := range []int{408, 500, 502, 503} {
		if err := classify("op", resp(status, ""), nil, now); livechat.IsPermanent(err) {
			t.Errorf("%d: %v should be transient", status, err)
		}
	}
	// Chatwoot's rate limiter may send no Retry-After: a default delay.
	for header, want := range map[string]time.Duration{"": driverkit.DefaultRetryAfter, "12": 12 * time.Second} {
		err := classify("op", resp(429, header), []byte("Retry later\n"), now)
		if d, ok := livechat.RetryDelay(err); !ok || d != want || livechat.IsPermanent(err) || !strings.Contains(err.Error(), "rate limited") {
			t.Errorf("429 with Retry-After %q: %v (%v)", header, err, d)
		}
	}
}
