package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"switchboard/channel"
	"switchboard/channel/meta"
	"switchboard/internal/driverkit"
)

// Client makes the Graph API's calls (package meta's).
type Client = meta.Client

// Conn is one WhatsApp channel: its settings opened.
type Conn struct {
	s Settings
	c *meta.Client
}

// graph makes one call of the Graph API with the channel's token.
func (c *Conn) graph(ctx context.Context, op, method, path string, body, out any) error {
	return driverkit.JSONCall{
		Platform: "whatsapp", API: "the WhatsApp Cloud API", Fix: "check the channel's api_base", Base: c.s.APIBase,
		Op: op, Method: method, URL: c.s.APIBase + path, Body: body, Out: out,
		Auth:     func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.s.AccessToken) },
		Classify: classify,
	}.Do(ctx, c.c.HTTP)
}

// Graph error codes by what to do about them (shared/spec/channels.md §1.3;
// Meta says to branch on the code, not the HTTP status).
var (
	// Throughput, pair and call-rate limits, and Meta's temporary errors:
	// retried later.
	retryCodes = []int{130429, 131056, 4, 80007, 1, 2, 131000, 131016}
	// Spam and marketing limits: retried much later.
	slowCodes = []int{131048, 131049}
)

// classify turns a Graph error answer into the channel's error classes.
func classify(resp *http.Response, raw []byte) error {
	var env struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(raw, &env)
	e := env.Error
	err := fmt.Errorf("whatsapp: HTTP %d %s", resp.StatusCode, driverkit.Shorten(e.Message))
	if e.Code == 0 && e.Message == "" {
		err = fmt.Errorf("whatsapp: HTTP %d %s", resp.StatusCode, driverkit.Shorten(string(raw)))
	}
	switch {
	case e.Code == codeWindow:
		return channel.WindowClosed(err)
	case slices.Contains(retryCodes, e.Code):
		return channel.RetryAfter(err, driverkit.RetryAfter(resp.Header.Get("Retry-After"), time.Now()))
	case slices.Contains(slowCodes, e.Code):
		return channel.RetryAfter(err, 10*time.Minute)
	case e.Code == 0 && (resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests):
		return err // not Meta's envelope: a proxy or an outage, retried with backoff
	}
	return channel.Permanent(err)
}

// Media downloads a file a user sent: GET /{media-id} gives a short-lived
// URL, fetched with the same token.
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	var meta struct {
		URL      string `json:"url"`
		MimeType string `json:"mime_type"`
	}
	if err := c.graph(ctx, "read media", http.MethodGet, "/"+url.PathEscape(id), nil, &meta); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(meta.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", nil, fmt.Errorf("whatsapp: media %s: the API gave no usable URL", id)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, meta.URL, nil)
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.s.AccessToken)
	resp, err := c.c.HTTP.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("whatsapp: download media %s: %w", id, driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("whatsapp: download media %s: HTTP %d", id, resp.StatusCode)
	}
	ct := meta.MimeType
	if ct == "" {
		ct = resp.Header.Get("Content-Type")
	}
	return ct, resp.Body, nil
}
