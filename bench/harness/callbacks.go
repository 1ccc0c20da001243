package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
)

// callbacks is the Chat API users' app server: it receives the signed
// callbacks switchboard POSTs to /cb/<user>, checks their signature with
// the channel's secret as docs/api.md says, drops a delivery id it already
// processed (counting the repeat), and hands the messages to the user.
type callbacks struct {
	URL string
	srv *http.Server

	mu    sync.Mutex
	users map[string]*callbackUser
	// BadSignatures counts callbacks refused for their signature or time.
	BadSignatures atomic.Int64
}

// callbackUser is one user's receiving end.
type callbackUser struct {
	user   *userLog
	secret string
	seen   map[string]bool
}

// startCallbacks listens on a free loopback port.
func startCallbacks() (*callbacks, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("callbacks: %w", err)
	}
	c := &callbacks{URL: "http://" + l.Addr().String(), users: map[string]*callbackUser{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cb/{user}", c.serve)
	c.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.srv.Serve(l) }()
	return c, nil
}

// add registers a user and returns its callback URL.
func (c *callbacks) add(u *userLog, secret string) string {
	c.mu.Lock()
	c.users[u.Name] = &callbackUser{user: u, secret: secret, seen: map[string]bool{}}
	c.mu.Unlock()
	return c.URL + "/cb/" + u.Name
}

func (c *callbacks) serve(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	cu := c.users[r.PathValue("user")]
	c.mu.Unlock()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if cu == nil || err != nil {
		http.Error(w, "unknown user", http.StatusNotFound)
		return
	}
	ts := r.Header.Get("X-Switchboard-Timestamp")
	m := hmac.New(sha256.New, []byte(cu.secret))
	m.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	sent, _ := strconv.ParseInt(ts, 10, 64)
	if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Switchboard-Signature"))) || time.Since(time.Unix(sent, 0)).Abs() > 5*time.Minute {
		c.BadSignatures.Add(1)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var in struct {
		Messages []switchboard.Message `json:"messages"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	delivery := r.Header.Get("X-Switchboard-Delivery")
	c.mu.Lock()
	repeat := cu.seen[delivery]
	cu.seen[delivery] = true
	c.mu.Unlock()
	if repeat {
		cu.user.redelivered()
		return
	}
	for _, m := range in.Messages {
		cu.user.receive(m, "callback")
	}
}

// close stops the server.
func (c *callbacks) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = c.srv.Shutdown(ctx)
}
