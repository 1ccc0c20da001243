package metasim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Sign is Meta's webhook signature: "sha256=" and the lowercase hex
// HMAC-SHA256 of the raw body with the app secret. It is written apart
// from the drivers' check on purpose, so that a mistake in one shows in
// the other.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// EscapeNonASCII writes every non-ASCII character of a JSON text as
// \uXXXX (a surrogate pair beyond the BMP), as Meta's payloads do, so that
// a receiver that re-encodes the body before checking the signature fails
// as it would on Meta.
func EscapeNonASCII(raw []byte) []byte {
	var b bytes.Buffer
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(raw[0])
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		raw = raw[n:]
	}
	return b.Bytes()
}

// Handshake makes the GET verification Meta's dashboard makes when a
// callback URL is saved: hub.mode=subscribe, hub.verify_token and a
// random hub.challenge, which must be answered 200 with the challenge as
// the body. name starts the errors ("messenger simulator").
func Handshake(ctx context.Context, name, webhookURL, verifyToken string, timeout time.Duration) error {
	u, err := url.Parse(webhookURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: the callback URL %q is not an http(s) URL", name, webhookURL)
	}
	challenge := Digits(10)
	q := u.Query()
	q.Set("hub.mode", "subscribe")
	q.Set("hub.challenge", challenge)
	q.Set("hub.verify_token", verifyToken)
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("%s: verify %s: %w", name, webhookURL, err)
	}
	req.Header.Set("User-Agent", "facebookexternalua")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: verify %s: %w", name, webhookURL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != challenge {
		return fmt.Errorf("%s: the callback URL %s could not be validated: it answered %d %q to the challenge %s (it must answer 200 with the challenge)",
			name, webhookURL, resp.StatusCode, Truncate(string(body), 200), challenge)
	}
	return nil
}

// Truncate cuts s to n bytes, marking the cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Digits makes a numeric id of n digits (ids, challenges).
func Digits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// Retries is how a simulator retries a failing delivery (an answer other
// than 2xx, or none in time): a doubling backoff from base up to most, for
// as long as retryFor, Meta's "decreasing frequency, up to 7 days"
// compressed.
func Retries(base, most, retryFor time.Duration) func(attempt, status int, err error) (time.Duration, bool) {
	return func(attempt, _ int, _ error) (time.Duration, bool) {
		return backoff(base, most, attempt), elapsed(base, most, attempt) < retryFor
	}
}

// backoff is the wait after attempt n (from 1): base doubled n-1 times, at
// most most.
func backoff(base, most time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// elapsed is the total wait before attempt n+1.
func elapsed(base, most time.Duration, n int) time.Duration {
	var t time.Duration
	for i := 1; i <= n; i++ {
		t += backoff(base, most, i)
	}
	return t
}

// SignedPost is the hook request of one delivery: raw POSTed as Meta
// does, signed with secret unless unsigned.
func SignedPost(hookURL string, raw []byte, secret string, unsigned bool) func(ctx context.Context, attempt int) (*http.Request, error) {
	return func(ctx context.Context, _ int) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "facebookexternalua")
		if !unsigned {
			req.Header.Set("X-Hub-Signature-256", Sign(secret, raw))
		}
		return req, nil
	}
}
