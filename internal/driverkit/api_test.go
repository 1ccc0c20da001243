package driverkit

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// TestAPIErrorsSayWhatThePlatformSaid calls an API that refuses: the error
// names the platform, the call, the status with its hint, and what the
// platform said; a redirect is never followed.
func TestAPIErrorsSayWhatThePlatformSaid(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/login", http.StatusFound)
			return
		}
		if r.Header.Get("X-Key") != "k" || r.URL.Query().Get("q") != "1" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`taken`))
	}))
	defer srv.Close()
	api := NewAPI(API{Platform: "acme", Name: "the Acme API", Fix: "check the url", Hints: map[int]string{http.StatusConflict: "it exists"},
		ParseError: func(e *APIError, body []byte) {
			e.Msg, e.Code, e.Fields = string(body), "E1", map[string]string{"name": "is taken"}
		}})
	auth := func(r *http.Request) { r.Header.Set("X-Key", "k") }
	err := api.Do(context.Background(), srv.URL, auth, Call{Op: "create thing", Method: "POST", Path: "/things", Query: map[string][]string{"q": {"1"}}, Body: map[string]int{"n": 1}})
	if err == nil || err.Error() != "acme: create thing: 409 Conflict (it exists): taken (code E1) — name: is taken" || !livechat.IsPermanent(err) || StatusOf(err) != 409 {
		t.Errorf("a refusal: %v", err)
	}
	err = api.Do(context.Background(), srv.URL, auth, Call{Op: "read", Method: "GET", Path: "/moved"})
	if err == nil || !strings.Contains(err.Error(), "redirects to \"/login\": this is not the Acme API, check the url") {
		t.Errorf("a redirect: %v", err)
	}
}

// thread records what End and Note make of it.
type thread struct{ did []string }

func (t *thread) PostNote(_ context.Context, text, ref, op string, retry bool) error {
	t.did = append(t.did, op+" "+ref+" "+text+map[bool]string{true: " (look first)"}[retry])
	return nil
}

func (t *thread) Close(context.Context) error { t.did = append(t.did, "close"); return nil }

// TestThreadsPostNotesOnceAndCloseWhenAsked drives End and Note as the
// outbox does, first attempts and retries.
func TestThreadsPostNotesOnceAndCloseWhenAsked(t *testing.T) {
	th := &thread{}
	ts := Threads[*thread]{Open: func(livechat.Resolved, switchboard.Session) (*thread, error) { return th, nil }}
	s := switchboard.Session{ID: "s1"}
	ctx := context.Background()
	_ = ts.End(ctx, livechat.EndRequest{Session: s, Note: "bye", Close: true})
	_ = ts.End(ctx, livechat.EndRequest{Session: s, Attempt: 1})
	_ = ts.Note(ctx, livechat.NoteRequest{Session: s, Text: "hi", Ref: "r", Attempt: 2})
	want := "post end note switchboard:end:s1 bye|close|post note switchboard:note:s1:r hi (look first)"
	if got := strings.Join(th.did, "|"); got != want {
		t.Errorf("did %s\nwant %s", got, want)
	}
	if NoteRef(livechat.NoteRequest{Session: s, Text: "x"}) != NoteRef(livechat.NoteRequest{Session: s, Text: "x"}) {
		t.Error("a note without a ref has another ref on each attempt")
	}
	bad := Threads[*thread]{Open: func(livechat.Resolved, switchboard.Session) (*thread, error) {
		return nil, livechat.Permanent(errors.New("no ticket id"))
	}}
	if err := bad.Note(ctx, livechat.NoteRequest{Session: s}); !livechat.IsPermanent(err) {
		t.Errorf("a thread that does not open: %v", err)
	}
}

// TestExplainCheck turns the ways a check fails into an operator's words.
func TestExplainCheck(t *testing.T) {
	w := CheckWords{Product: "Acme", Place: "the Acme account", Fix: "check the domain"}
	known := func(e *APIError) error {
		if e.Status == 401 {
			return errors.New("the key was refused")
		}
		return nil
	}
	for err, want := range map[error]string{
		&APIError{Status: 401}:                               "the key was refused",
		livechat.RetryAfter(&APIError{Status: 429}, 0):       "Acme at https://a.example is rate limiting (429): save again in a minute",
		&APIError{Status: 503}:                               "Acme at https://a.example is failing (503 Service Unavailable): save again later",
		&APIError{Platform: "acme", Op: "read", Status: 422}: "Acme at https://a.example refused to read: acme: read: 422 Unprocessable Entity",
		errors.New("connection refused"):                     "cannot reach Acme at https://a.example: connection refused",
	} {
		got := ExplainCheck(err, "https://a.example", w, known)
		if got == nil || !strings.Contains(got.Error(), want) {
			t.Errorf("%v: %v, want %q", err, got, want)
		}
	}
}

// TestAPIClassifiesByItsCode calls an API that says "rate limited" with a
// code in a 400, as messaging APIs do: its Classify retries it, and leaves
// every other answer to the package's.
func TestAPIClassifiesByItsCode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(r.URL.Query().Get("code")))
	}))
	defer srv.Close()
	api := NewAPI(API{Platform: "chat",
		ParseError: func(e *APIError, body []byte) { e.Code = string(body) },
		Classify: func(e *APIError, h http.Header, now time.Time) error {
			if e.Code == "busy" {
				return livechat.RetryAfter(e, time.Minute)
			}
			return Classify(e, h, now)
		}})
	call := func(code string) error {
		return api.Do(context.Background(), srv.URL, func(*http.Request) {}, Call{Op: "send", Method: "POST", Path: "/", Query: map[string][]string{"code": {code}}})
	}
	if d, ok := livechat.RetryDelay(call("busy")); !ok || d != time.Minute {
		t.Errorf("a busy answer: %v %v", d, ok)
	}
	if err := call("bad"); !livechat.IsPermanent(err) {
		t.Errorf("a bad request: %v", err)
	}
}
