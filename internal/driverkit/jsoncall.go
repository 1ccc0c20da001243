package driverkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"switchboard/livechat"
)

// MaxAnswer bounds what a driver reads of one answer.
const MaxAnswer = 8 << 20

// JSONCall is one call of a platform's JSON REST API, with what its errors
// say: every error starts with Platform and Op, and one that can never
// succeed (a request that does not encode, a redirect, an answer that is not
// the API's JSON) is livechat.Permanent. Each error carries the
// livechat.FailureReason a session failing on it gets (see StatusReason); a
// network error carries none, which reads as the platform unreachable.
type JSONCall struct {
	Platform string // "gorgias": the errors' prefix
	API      string // "the Gorgias API", named when an answer is not its
	Fix      string // what to check then: "check the domain"
	Base     string // the API's base URL, named in errors
	Op       string // what the call does: "read ticket"
	Method   string
	URL      string // the whole URL, query included
	Body     any    // sent as JSON when not nil, as is when an Encoded
	Out      any    // decoded from a 2xx answer when not nil and not empty
	// Auth adds the credentials to the request.
	Auth func(*http.Request)
	// Classify turns an answer of status 400 or more into the driver's error.
	Classify func(resp *http.Response, raw []byte) error
}

// Encoded is a request body encoded already (a multipart upload), sent
// as it is with its content type.
type Encoded struct {
	ContentType string
	Data        []byte
}

// Do makes the call with h.
func (c JSONCall) Do(ctx context.Context, h *http.Client) error {
	var body io.Reader
	contentType := "application/json"
	if e, ok := c.Body.(Encoded); ok {
		body, contentType = bytes.NewReader(e.Data), e.ContentType
	} else if c.Body != nil {
		raw, err := json.Marshal(c.Body)
		if err != nil {
			return livechat.Permanent(fmt.Errorf("%s: %s: encode: %w", c.Platform, c.Op, err))
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, body)
	if err != nil {
		return livechat.Misconfigured(fmt.Errorf("%s: %s: %w", c.Platform, c.Op, err))
	}
	c.Auth(req)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "switchboard")
	if c.Body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.Platform, c.Op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return fmt.Errorf("%s: %s: read answer: %w", c.Platform, c.Op, err)
	}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return livechat.Misconfigured(fmt.Errorf("%s: %s: %s redirects to %q: this is not %s, %s", c.Platform, c.Op, c.Base, resp.Header.Get("Location"), c.API, c.Fix))
	case resp.StatusCode >= 400:
		return livechat.WithReason(StatusReason(resp.StatusCode), c.Classify(resp, raw))
	}
	if c.Out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, c.Out); err != nil {
		return livechat.Misconfigured(fmt.Errorf("%s: %s: the answer of %s is not %s's JSON (%s): %w", c.Platform, c.Op, c.Base, c.API, c.Fix, err))
	}
	return nil
}

// StatusReason is the reason a session fails for when the platform's last
// answer had this status: the credentials refused (401, 403), no such
// account, inbox or path (404: the settings point nowhere), the platform
// down or busy (408, 429, 5xx: it kept failing for the whole open
// timeout), else the request refused.
func StatusReason(status int) livechat.FailureReason {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return livechat.ReasonBadCredentials
	case status == http.StatusNotFound:
		return livechat.ReasonMisconfigured
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		return livechat.ReasonPlatformUnreachable
	}
	return livechat.ReasonPlatformRefused
}
