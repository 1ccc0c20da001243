package gorgias

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

func TestErrorBodiesAreReadWhateverTheirShape(t *testing.T) {
	cases := map[string]string{
		`{"error":{"msg":"Failed to create ticket","data":{"sender":["Missing data for required field."],"messages":{"0":{"channel":["Missing data for required field."]}}}}}`: "Failed to create ticket — messages: 0: channel: Missing data for required field.; sender: Missing data for required field.",
		`{"error":"Invalid credentials"}`:                    "Invalid credentials",
		`{"message":"Too many"}`:                             "Too many",
		`{"error":{"message":"Nope","data":null}}`:           "Nope",
		`<html><body><h1>502 Bad Gateway</h1></body></html>`: "502 Bad Gateway",
		``:     "",
		`null`: "",
		`[1]`:  "[1]",
	}
	for body, want := range cases {
		e := &APIError{Op: "create ticket", Status: 400}
		e.Msg, e.Fields = parseErrorBody([]byte(body))
		got := strings.TrimPrefix(e.Error(), "gorgias: create ticket: 400 Bad Request")
		got = strings.TrimPrefix(got, ": ")
		if got != want {
			t.Errorf("body %s:\n got %q\nwant %q", body, got, want)
		}
	}
	long := strings.Repeat("é", 400)
	if msg, _ := parseErrorBody([]byte(`{"error":"` + long + `"}`)); len(msg) > 310 || !strings.HasSuffix(msg, "…") {
		t.Errorf("a long message is kept whole: %d bytes", len(msg))
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
	for _, status := range []int{400, 401, 403, 404, 405, 409, 413, 422} {
		err := classify("op", resp(status, ""), nil, now)
		if !livechat.IsPermanent(err) || statusOf(err) != status {
			t.Errorf("%d: %v should be permanent", status, err)
		}
	}
	for _, status := range []int{408, 500, 502, 503, 504} {
		if err := classify("op", resp(status, ""), nil, now); livechat.IsPermanent(err) {
			t.Errorf("%d: %v should be transient", status, err)
		}
	}
	delays := map[string]time.Duration{
		"7":     7 * time.Second,
		"0":     time.Second,
		"":      driverkit.DefaultRetryAfter,
		"soon":  driverkit.DefaultRetryAfter,
		"99999": driverkit.MaxRetryAfter,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	}
	for header, want := range delays {
		err := classify("op", resp(429, header), []byte(`{"error":{"msg":"Too many requests."}}`), now)
		if d, ok := livechat.RetryDelay(err); !ok || d != want || livechat.IsPermanent(err) {
			t.Errorf("Retry-After %q: %v (%v), want %v", header, err, d, want)
		}
	}
}
