package simtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Start starts a simulator (with its package's Start) on a free port for
// the length of a test.
func Start[C any, S io.Closer](t *testing.T, start func(addr string, cfg C) (S, error), cfg C) S {
	t.Helper()
	s, err := start("", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// JSON sends a request to url, with body as JSON when it is not nil, after
// auth added the credentials (nil: none), and returns the answer's status,
// its JSON body decoded (nil when it is not JSON) and its headers.
func JSON(t *testing.T, method, url string, body any, auth func(*http.Request)) (int, any, http.Header) {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if auth != nil {
		auth(req)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return Send(t, req)
}

// Send sends req and returns the answer's status, its JSON body decoded
// (nil when it is not JSON) and its headers.
func Send(t *testing.T, req *http.Request) (int, any, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}
