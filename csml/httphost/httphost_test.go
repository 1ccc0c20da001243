package httphost

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard/csml"
	"switchboard/internal/netpolicy"
)

var loopback = netpolicy.MustParseRules("127.0.0.0/8, ::1")

func TestCallsAnAllowedServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.Header.Get("X-Test") != "1" {
			http.Error(w, "bad request", 400)
			return
		}
		w.Header().Set("X-Reply", "ok")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	h := New(Config{Allow: loopback})
	resp, err := h.Do(context.Background(), csml.HTTPRequest{Method: "POST", URL: srv.URL + "/x", Header: map[string]string{"X-Test": "1"}, Body: []byte(`{}`)})
	if err != nil || resp.Status != 200 || string(resp.Body) != `{"ok":true}` || resp.Header["x-reply"] != "ok" {
		t.Fatalf("resp %+v, err %v", resp, err)
	}
}

func TestRefusesNonPublicAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	h := New(Config{})
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, u := range []string{
		srv.URL,                          // loopback
		"http://localhost" + port,        // a name that resolves to loopback
		"http://[::1]" + port,            // IPv6 loopback
		"http://10.1.2.3:80/",            // private
		"http://169.254.169.254/latest/", // link-local (cloud metadata)
		"http://0.0.0.0" + port,          // unspecified
		"http://[::ffff:127.0.0.1]" + port,
	} {
		_, err := h.Do(context.Background(), csml.HTTPRequest{Method: "GET", URL: u})
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%s: err %v, want refused", u, err)
		}
	}
	_, err := h.Do(context.Background(), csml.HTTPRequest{Method: "GET", URL: "file:///etc/passwd"})
	if !errors.Is(err, ErrRefused) {
		t.Errorf("file URL: %v", err)
	}
}

// TestRedirectsAreChecked follows a redirect from an allowed server to a
// private address: the second connection is refused.
func TestRedirectsAreChecked(t *testing.T) {
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.255.255.1/internal", http.StatusFound)
	}))
	defer outer.Close()
	h := New(Config{Allow: loopback})
	_, err := h.Do(context.Background(), csml.HTTPRequest{Method: "GET", URL: outer.URL})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "10.255.255.1") {
		t.Fatalf("redirect to a private address: %v", err)
	}
}

func TestLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.Write([]byte(strings.Repeat("x", 2000)))
	}))
	defer srv.Close()
	h := New(Config{Allow: loopback, MaxResponseBytes: 1000, Timeout: 100 * time.Millisecond})
	if _, err := h.Do(context.Background(), csml.HTTPRequest{Method: "GET", URL: srv.URL}); err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("size cap: %v", err)
	}
	start := time.Now()
	if _, err := h.Do(context.Background(), csml.HTTPRequest{Method: "GET", URL: srv.URL + "/slow"}); err == nil {
		t.Error("no timeout")
	}
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("timeout after %s", d)
	}
}

// TestBotCallsThroughTheHost runs a flow whose HTTP call goes through the
// host: allowed, it gets the JSON; refused, the bot gets an error message.
func TestBotCallsThroughTheHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"n":42}`)) }))
	defer srv.Close()
	bot, diags := csml.Compile(csml.Source{ID: "b", DefaultFlow: "f", Flows: []csml.FlowSource{{Name: "f", Content: "start:\n  say HTTP(\"" + srv.URL + "\").send().n\n"}}})
	if bot == nil {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Allow: loopback}, `{"text":"42"}`},
		{Config{}, "address not allowed"},
	} {
		res := bot.Run(context.Background(), csml.Context{}, csml.Event{}, csml.Host{HTTP: New(tc.cfg).Do})
		if len(res.Messages) == 0 || !strings.Contains(string(res.Messages[0].Content), tc.want) {
			t.Errorf("messages %v, want %s", res.Messages, tc.want)
		}
	}
}

// TestUsersSeeNoInternalDetails: the error message a failed call shows
// users names the URL's scheme and host and a reason, never the addresses
// dialled, the resolver, the path or the query; the log has the details.
func TestUsersSeeNoInternalDetails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for url, want := range map[string]string{
		"http://localhost" + port + "/secret?token=abc": "the request to http://localhost" + port + " failed: address not allowed",
		"http://no-such-host.invalid/x?token=abc":       "the request to http://no-such-host.invalid failed: host not found",
	} {
		bot, diags := csml.Compile(csml.Source{ID: "b", DefaultFlow: "f", Flows: []csml.FlowSource{{Name: "f", Content: "start:\n  do HTTP(\"" + url + "\").send()\n"}}})
		if bot == nil {
			t.Fatal(diags)
		}
		var logs []string
		res := bot.Run(context.Background(), csml.Context{}, csml.Event{}, csml.Host{HTTP: New(Config{}).Do, Log: func(level, msg string) { logs = append(logs, level+" "+msg) }})
		if len(res.Messages) != 1 {
			t.Fatalf("%s: messages %v", url, res.Messages)
		}
		msg := string(res.Messages[0].Content)
		if !strings.Contains(msg, want) {
			t.Errorf("%s: message %s, want %q", url, msg, want)
		}
		for _, leak := range []string{"127.0.0.1", "::1", "dial", "lookup", "token", "secret", ":53"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: message %s shows %q", url, msg, leak)
			}
		}
		if len(logs) != 1 || !strings.HasPrefix(logs[0], "warn HTTP GET ") || strings.Contains(logs[0], "token") {
			t.Errorf("%s: logs %q", url, logs)
		}
	}
}
