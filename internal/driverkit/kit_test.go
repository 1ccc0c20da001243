package driverkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard/livechat"
)

func TestCacheForgetsTheOldest(t *testing.T) {
	c := NewCache[int, string](2)
	c.Put(1, "a")
	c.Put(2, "b")
	c.Put(1, "A") // an update keeps its place
	c.Put(3, "c")
	if c.Has(1) || !c.Has(2) || !c.Has(3) {
		t.Errorf("after 3 puts in a cache of 2: 1 %v, 2 %v, 3 %v", c.Has(1), c.Has(2), c.Has(3))
	}
	if v, ok := c.Get(3); !ok || v != "c" {
		t.Errorf("Get(3) = %q, %v", v, ok)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for header, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": time.Second, "": DefaultRetryAfter, "soon": DefaultRetryAfter, "99999": MaxRetryAfter,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := RetryAfter(header, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestShortenAndNetworkCause(t *testing.T) {
	if got := Shorten(" a \n b "); got != "a b" {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten(strings.Repeat("é", 400)); len(got) > 310 || !strings.HasSuffix(got, "…") {
		t.Errorf("a long text is kept whole: %d bytes", len(got))
	}
	refused := &url.Error{Op: "Get", URL: "http://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	if got := NetworkCause(fmt.Errorf("call: %w", refused)); got.Error() != "connection refused" {
		t.Errorf("NetworkCause = %v", got)
	}
	if got := NetworkCause(&url.Error{Err: context.DeadlineExceeded}); got.Error() != "no answer in time" {
		t.Errorf("NetworkCause of a timeout = %v", got)
	}
}

// TestCallErrorsCarryTheirReason answers a call as a platform may fail it:
// each error says why a session failing on it failed.
func TestCallErrorsCarryTheirReason(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){
		"401":      func(w http.ResponseWriter) { w.WriteHeader(401) },
		"403":      func(w http.ResponseWriter) { w.WriteHeader(403) },
		"404":      func(w http.ResponseWriter) { w.WriteHeader(404) },
		"422":      func(w http.ResponseWriter) { w.WriteHeader(422) },
		"429":      func(w http.ResponseWriter) { w.WriteHeader(429) },
		"503":      func(w http.ResponseWriter) { w.WriteHeader(503) },
		"redirect": func(w http.ResponseWriter) { w.Header().Set("Location", "/login"); w.WriteHeader(302) },
		"html":     func(w http.ResponseWriter) { _, _ = w.Write([]byte("<html>sign in</html>")) },
	}
	want := map[string]livechat.FailureReason{
		"401": livechat.ReasonBadCredentials, "403": livechat.ReasonBadCredentials, "404": livechat.ReasonMisconfigured,
		"422": livechat.ReasonPlatformRefused, "429": livechat.ReasonPlatformUnreachable, "503": livechat.ReasonPlatformUnreachable,
		"redirect": livechat.ReasonMisconfigured, "html": livechat.ReasonMisconfigured,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answers[r.URL.Query().Get("a")](w) }))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for name, reason := range want {
		var out map[string]any
		err := JSONCall{Platform: "p", API: "the P API", Fix: "check the url", Base: srv.URL, Op: "read", Method: "GET", URL: srv.URL + "/?a=" + name, Out: &out,
			Auth: func(*http.Request) {},
			Classify: func(resp *http.Response, _ []byte) error {
				return livechat.Permanent(fmt.Errorf("p: read: %d", resp.StatusCode))
			},
		}.Do(context.Background(), client)
		if got := livechat.ReasonOf(err); got != reason {
			t.Errorf("%s: reason %q, want %q (%v)", name, got, reason, err)
		}
	}
	srv.Close()
	err := JSONCall{Platform: "p", Op: "read", Method: "GET", URL: srv.URL, Auth: func(*http.Request) {}}.Do(context.Background(), client)
	if got := livechat.ReasonOf(err); got != livechat.ReasonPlatformUnreachable {
		t.Errorf("a refused connection: %q (%v)", got, err)
	}
}

// TestStatusesAreClassifiedForTheOutbox checks what the outbox makes of
// each failed answer: permanent, transient, or retried after the delay the
// API asked for (a default one when it sent none, as Chatwoot's limiter).
func TestStatusesAreClassifiedForTheOutbox(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	classify := func(status int, retry string) error {
		h := http.Header{}
		if retry != "" {
			h.Set("Retry-After", retry)
		}
		return Classify(&APIError{Platform: "p", Op: "op", Status: status, Hint: "hint"}, h, now)
	}
	for _, status := range []int{400, 401, 403, 404, 405, 409, 413, 422} {
		if err := classify(status, ""); !livechat.IsPermanent(err) || StatusOf(err) != status {
			t.Errorf("%d: %v should be permanent", status, err)
		}
	}
	for _, status := range []int{408, 500, 502, 503, 504} {
		if err := classify(status, ""); livechat.IsPermanent(err) || StatusOf(err) != status {
			t.Errorf("%d: %v should be transient", status, err)
		}
	}
	for header, want := range map[string]time.Duration{
		"7": 7 * time.Second, "": DefaultRetryAfter, now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		err := classify(429, header)
		if d, ok := livechat.RetryDelay(err); !ok || d != want || livechat.IsPermanent(err) || !strings.HasPrefix(err.Error(), "p: op: 429 Too Many Requests (hint)") {
			t.Errorf("429 with Retry-After %q: %v (%v), want %v", header, err, d, want)
		}
	}
}
