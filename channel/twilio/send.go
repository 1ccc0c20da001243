package twilio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// apiError is Twilio's error answer.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// Twilio's error codes that tell what to do.
const (
	codeUnsubscribed = 21610 // the customer texted STOP
	codeTooMany      = 20429
	codeQueueFull    = 21611
)

// Send creates one message with the REST API and returns its MessageSid.
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	m, ok := n.Body.(Message)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("twilio: %s: not an SMS", n.Kind))
	}
	form := url.Values{"To": {number(to)}, "From": {c.s.From}}
	if m.Body != "" {
		form.Set("Body", m.Body)
	}
	if c.statusCallback != "" {
		form.Set("StatusCallback", c.statusCallback)
	}
	for _, u := range m.MediaURL {
		form.Add("MediaUrl", u)
	}
	var ans struct {
		SID string `json:"sid"`
	}
	resp, raw, err := c.call(ctx, http.MethodPost, "/Messages.json", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", classify(resp, raw)
	}
	if json.Unmarshal(raw, &ans) != nil || ans.SID == "" {
		return "", channel.Permanent(fmt.Errorf("twilio: send: the answer has no sid: %s", driverkit.Shorten(string(raw))))
	}
	return ans.SID, nil
}

// call makes one call of the account's REST API, with Basic auth.
func (c *Conn) call(ctx context.Context, method, path string, body io.Reader) (*http.Response, []byte, error) {
	u := c.s.APIBase + "/2010-04-01/Accounts/" + url.PathEscape(c.s.AccountSID) + path
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, channel.Permanent(fmt.Errorf("twilio: %w", err))
	}
	req.SetBasicAuth(c.s.AccountSID, c.s.AuthToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("twilio: %s %s: %w", method, path, driverkit.NetworkCause(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, driverkit.MaxAnswer))
	if err != nil {
		return nil, nil, fmt.Errorf("twilio: %s %s: read answer: %w", method, path, err)
	}
	return resp, raw, nil
}

// classify turns an error answer into the channel's error classes: too
// many requests and Twilio's own failures are retried, the rest (a bad
// number, an unsubscribed customer, refused credentials) is permanent.
func classify(resp *http.Response, raw []byte) error {
	var e apiError
	_ = json.Unmarshal(raw, &e)
	err := fmt.Errorf("twilio: HTTP %d, error %d: %s", resp.StatusCode, e.Code, driverkit.Shorten(e.Message))
	if e.Code == 0 {
		err = fmt.Errorf("twilio: HTTP %d %s", resp.StatusCode, driverkit.Shorten(string(raw)))
	}
	switch {
	case e.Code == codeUnsubscribed:
		return channel.Permanent(fmt.Errorf("the customer texted STOP to unsubscribe from this number, so the carriers' rules forbid texting them until they text START (%w)", err))
	case e.Code == codeTooMany || resp.StatusCode == http.StatusTooManyRequests:
		return channel.RetryAfter(err, driverkit.RetryAfter(resp.Header.Get("Retry-After"), time.Now()))
	case e.Code == codeQueueFull:
		return channel.RetryAfter(err, 10*time.Minute)
	case resp.StatusCode >= 500:
		return err
	}
	return channel.Permanent(err)
}

// Reopen: SMS has no window to reopen.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener: none.
func (c *Conn) Reopener() string { return "" }

// Media downloads a file a customer sent (id: MessageSid-MediaSid) with
// the account's credentials (Twilio's HTTP Basic authentication for
// media).
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	msg, media, ok := strings.Cut(id, "-")
	if !ok || msg == "" || media == "" {
		return "", nil, fmt.Errorf("twilio: media %q is not MessageSid-MediaSid", id)
	}
	resp, raw, err := c.call(ctx, http.MethodGet, "/Messages/"+url.PathEscape(msg)+"/Media/"+url.PathEscape(media), nil)
	if err != nil {
		return "", nil, err
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		return c.stored(ctx, id, resp.Request.URL, loc)
	}
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("twilio: download media %s: HTTP %d", id, resp.StatusCode)
	}
	return resp.Header.Get("Content-Type"), io.NopCloser(bytes.NewReader(raw)), nil
}

// stored fetches a media file where Twilio redirected (its storage), with
// no credentials: the redirect's URL is signed.
func (c *Conn) stored(ctx context.Context, id string, base *url.URL, loc string) (string, io.ReadCloser, error) {
	u, err := base.Parse(loc)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", nil, fmt.Errorf("twilio: media %s: the redirect %q is not an http(s) URL", id, loc)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", nil, fmt.Errorf("twilio: media %s: %w", id, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("twilio: download media %s: %w", id, driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("twilio: download media %s: HTTP %d from its storage", id, resp.StatusCode)
	}
	return resp.Header.Get("Content-Type"), resp.Body, nil
}
