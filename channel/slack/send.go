package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// answer is what every Web API method answers (the parts read): ok, or
// the error with what Slack adds to it.
type answer struct {
	OK               bool   `json:"ok"`
	Error            string `json:"error"`
	Needed           string `json:"needed"`
	Warning          string `json:"warning"`
	ResponseMetadata struct {
		Messages []string `json:"messages"`
	} `json:"response_metadata"`
}

// retried are the errors Slack says are its own, worth trying again with
// backoff.
var retried = map[string]bool{"fatal_error": true, "internal_error": true, "service_unavailable": true, "request_timeout": true}

// call makes one Web API call with the bot token: args as JSON (a write
// method) or, when form is set, form-encoded (a read method); the answer
// is decoded into out when it is ok.
func (c *Conn) call(ctx context.Context, method string, args any, form url.Values, out any) error {
	var body io.Reader
	ct := "application/x-www-form-urlencoded"
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		raw, err := json.Marshal(args)
		if err != nil {
			return channel.Permanent(fmt.Errorf("slack: %s: encode: %w", method, err))
		}
		body, ct = bytes.NewReader(raw), "application/json; charset=utf-8"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.s.APIBase+"/"+method, body)
	if err != nil {
		return channel.Permanent(fmt.Errorf("slack: %s: the channel's api_base does not make a URL", method))
	}
	req.Header.Set("Authorization", "Bearer "+c.s.BotToken)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("User-Agent", "switchboard")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("slack: %s: %w", method, driverkit.NetworkCause(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, driverkit.MaxAnswer))
	if err != nil {
		return fmt.Errorf("slack: %s: read answer: %w", method, driverkit.NetworkCause(err))
	}
	var a answer
	if resp.StatusCode == http.StatusTooManyRequests {
		_ = json.Unmarshal(raw, &a)
		return channel.RetryAfter(fmt.Errorf("slack: %s: HTTP 429 %s", method, a.Error), driverkit.RetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()))
	}
	if json.Unmarshal(raw, &a) != nil || (!a.OK && a.Error == "") {
		err := fmt.Errorf("slack: %s: HTTP %d, not the Web API's answer (check the channel's api_base): %s", method, resp.StatusCode, driverkit.Shorten(driverkit.PageText(string(raw))))
		if resp.StatusCode >= 500 {
			return err // an outage or a proxy: retried with backoff
		}
		return channel.Permanent(err)
	}
	if !a.OK {
		return c.classify(method, resp, a)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return channel.Permanent(fmt.Errorf("slack: %s: the answer does not read: %w", method, err))
		}
	}
	return nil
}

// classify turns an ok:false answer into the channel's error classes: a
// rate limit is retried after Slack's Retry-After, Slack's own failures
// with backoff, and the rest (credentials, channel, blocks) is permanent,
// with what Slack says is wrong.
func (c *Conn) classify(method string, resp *http.Response, a answer) error {
	detail := a.Error
	if a.Needed != "" {
		detail += " (the app needs the scope " + a.Needed + ": add it under OAuth & Permissions and reinstall the app)"
	}
	if len(a.ResponseMetadata.Messages) > 0 {
		detail += ": " + strings.Join(a.ResponseMetadata.Messages, "; ")
	}
	err := fmt.Errorf("slack: %s: %s", method, driverkit.Shorten(detail))
	switch {
	case a.Error == "ratelimited" || a.Error == "rate_limited":
		return channel.RetryAfter(err, driverkit.RetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()))
	case retried[a.Error] || resp.StatusCode >= 500:
		return err
	}
	return channel.Permanent(err)
}

// Send posts one message (chat.postMessage) to a client's conversation:
// its DM, or its thread in a channel. The id is the channel and the
// message's ts, which Slack keeps per channel.
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	body, ok := n.Body.(map[string]any)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("slack: %s: not chat.postMessage's arguments", n.Kind))
	}
	args := maps.Clone(body)
	ch, thread := target(to)
	args["channel"] = ch
	if thread != "" {
		args["thread_ts"] = thread
	}
	var out struct {
		Channel string `json:"channel"`
		TS      string `json:"ts"`
	}
	if err := c.call(ctx, "chat.postMessage", args, nil, &out); err != nil {
		return "", err
	}
	if out.TS == "" {
		return "", channel.Permanent(fmt.Errorf("slack: chat.postMessage: the answer has no ts"))
	}
	if out.Channel == "" {
		out.Channel = ch
	}
	return out.Channel + ":" + out.TS, nil
}

// Reopen: Slack has no window to reopen.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener: none.
func (c *Conn) Reopener() string { return "" }

// maxFile bounds a file downloaded from Slack.
const maxFile = 100 << 20

// Media downloads a file a user shared: files.info gives its
// url_private_download, fetched with the bot token (files:read).
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	var info struct {
		File struct {
			Mimetype           string `json:"mimetype"`
			URLPrivateDownload string `json:"url_private_download"`
			URLPrivate         string `json:"url_private"`
		} `json:"file"`
	}
	if err := c.call(ctx, "files.info", nil, url.Values{"file": {id}}, &info); err != nil {
		return "", nil, err
	}
	u := info.File.URLPrivateDownload
	if u == "" {
		u = info.File.URLPrivate
	}
	if p, err := url.Parse(u); err != nil || (p.Scheme != "https" && p.Scheme != "http") {
		return "", nil, fmt.Errorf("slack: file %s: no private URL to download", id)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", nil, fmt.Errorf("slack: download %s: %w", id, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.s.BotToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("slack: download %s: %w", id, driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("slack: download %s: HTTP %d", id, resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" || strings.HasPrefix(ct, "text/html") {
		// Slack answers its sign-in page, not the file, to a request
		// without the token's files:read.
		if strings.HasPrefix(ct, "text/html") {
			resp.Body.Close()
			return "", nil, fmt.Errorf("slack: download %s: Slack answered a web page, not the file: the app lacks the files:read scope", id)
		}
		ct = info.File.Mimetype
	}
	return ct, struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxFile), resp.Body}, nil
}

// Check calls auth.test: the workspace and the bot the token is.
func (c *Conn) Check(ctx context.Context) (string, error) {
	var who struct {
		Team string `json:"team"`
		User string `json:"user"`
		URL  string `json:"url"`
	}
	if err := c.call(ctx, "auth.test", nil, url.Values{}, &who); err != nil {
		return "", err
	}
	return fmt.Sprintf("the bot @%s of the workspace %s (%s)", who.User, who.Team, who.URL), nil
}
