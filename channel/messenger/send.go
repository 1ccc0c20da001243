package messenger

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/channel"
	"switchboard/channel/meta"
	"switchboard/internal/driverkit"
)

// Client makes the Graph API's calls (package meta's).
type Client = meta.Client

// Conn is one Messenger or Instagram channel: its settings opened.
type Conn struct {
	s Settings
	v *variant
	c *meta.Client
}

// sharedConn is a channel whose page also answers from Meta's inbox: it
// controls threads.
type sharedConn struct{ *Conn }

// graph makes one call of the Graph API with the page's token.
func (c *Conn) graph(ctx context.Context, op, method, path string, body, out any) error {
	return driverkit.JSONCall{
		Platform: string(c.v.typ), API: "the Graph API", Fix: "check the channel's api_base", Base: c.s.APIBase,
		Op: op, Method: method, URL: c.s.APIBase + path, Body: body, Out: out,
		Auth:     func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.s.PageAccessToken) },
		Classify: c.classify,
	}.Do(ctx, c.c.HTTP)
}

// graphError is the Graph API's error envelope.
type graphError struct {
	Message   string `json:"message"`
	Type      string `json:"type"`
	Code      int    `json:"code"`
	Subcode   int    `json:"error_subcode"`
	FBTraceID string `json:"fbtrace_id"`
}

// Graph error codes (shared/spec/channels.md §2.3).
const (
	codeWindow    = 10
	subcodeWindow = 2018278
)

// retryCodes are the rate limits (4 application, 32 page, 613 calls) and
// Meta's temporary errors (1, 2, 1200), retried later.
var retryCodes = []int{4, 32, 613, 1, 2, 1200}

// classify turns a Graph error answer into the channel's error classes.
func (c *Conn) classify(resp *http.Response, raw []byte) error {
	var env struct {
		Error graphError `json:"error"`
	}
	_ = json.Unmarshal(raw, &env)
	e := env.Error
	err := fmt.Errorf("%s: HTTP %d (#%d/%d) %s", c.v.typ, resp.StatusCode, e.Code, e.Subcode, driverkit.Shorten(e.Message))
	if e.Code == 0 && e.Message == "" {
		err = fmt.Errorf("%s: HTTP %d %s", c.v.typ, resp.StatusCode, driverkit.Shorten(string(raw)))
	}
	switch {
	case e.Code == codeWindow && e.Subcode == subcodeWindow:
		return channel.WindowClosed(err)
	case slices.Contains(retryCodes, e.Code):
		return channel.RetryAfter(err, driverkit.RetryAfter(resp.Header.Get("Retry-After"), time.Now()))
	case e.Code == 0 && (resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests):
		return err // not Meta's envelope: a proxy or an outage, retried with backoff
	}
	return channel.Permanent(err) // 551 unavailable, 100 bad parameter, 190 token, 200/230/10 permissions
}

// sendAnswer is the Send API's answer.
type sendAnswer struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}

// Send sends one rendered request to the user (PSID or IGSID).
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	body, ok := n.Body.(map[string]any)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("%s: %s: not a Send API request", c.v.typ, n.Kind))
	}
	req := maps.Clone(body)
	req["recipient"] = map[string]string{"id": to}
	var ans sendAnswer
	if err := c.graph(ctx, "send "+n.Kind, http.MethodPost, "/me/messages", req, &ans); err != nil {
		return "", err
	}
	if n.Kind == "typing" {
		return "", nil
	}
	if ans.MessageID == "" {
		return "", channel.Permanent(fmt.Errorf("%s: send %s: the answer has no message_id", c.v.typ, n.Kind))
	}
	return ans.MessageID, nil
}

// Reopen: Meta has no message that invites a user back.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener names none.
func (c *Conn) Reopener() string { return "" }

// Media downloads the n-th attachment of a user's message (the id
// "n:mid"): the message's attachments are read from the Graph API, which
// gives fresh URLs, and the file is fetched from Meta's CDN without the
// token.
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	ns, mid, _ := strings.Cut(id, ":")
	n, err := strconv.Atoi(ns)
	if err != nil || mid == "" {
		return "", nil, fmt.Errorf("%s: media %q is not an attachment of a message", c.v.typ, id)
	}
	var msg struct {
		Attachments struct {
			Data []struct {
				MimeType  string               `json:"mime_type"`
				FileURL   string               `json:"file_url"`
				ImageData struct{ URL string } `json:"image_data"`
				VideoData struct{ URL string } `json:"video_data"`
			} `json:"data"`
		} `json:"attachments"`
	}
	if err := c.graph(ctx, "read attachments", http.MethodGet, "/"+url.PathEscape(mid)+"?fields=attachments", nil, &msg); err != nil {
		return "", nil, err
	}
	if n < 0 || n >= len(msg.Attachments.Data) {
		return "", nil, fmt.Errorf("%s: message %s has no attachment %d", c.v.typ, mid, n)
	}
	a := msg.Attachments.Data[n]
	link := a.ImageData.URL + a.VideoData.URL
	if link == "" {
		link = a.FileURL
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", nil, fmt.Errorf("%s: media %s: the API gave no usable URL", c.v.typ, id)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", nil, err
	}
	resp, err := c.c.HTTP.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("%s: download media %s: %w", c.v.typ, id, driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("%s: download media %s: HTTP %d", c.v.typ, id, resp.StatusCode)
	}
	ct := a.MimeType
	if ct == "" {
		ct = resp.Header.Get("Content-Type")
	}
	return ct, resp.Body, nil
}

// TakeThread makes the app the owner of the user's thread, taking it from
// Meta's inbox if it had it (Handover Protocol: the app must be the
// page's primary receiver, or the thread idle).
func (c *sharedConn) TakeThread(ctx context.Context, user, note string) error {
	return c.graph(ctx, "take thread control", http.MethodPost, "/me/take_thread_control", obj{"recipient": obj{"id": user}, "metadata": note}, nil)
}

// ReleaseThread gives the thread back: it is idle again, for the bot and
// Meta's inbox alike.
func (c *sharedConn) ReleaseThread(ctx context.Context, user, note string) error {
	return c.graph(ctx, "release thread control", http.MethodPost, "/me/release_thread_control", obj{"recipient": obj{"id": user}, "metadata": note}, nil)
}
