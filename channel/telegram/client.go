package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Client makes the Bot API's calls; one serves every channel.
type Client struct {
	HTTP *http.Client
}

// NewClient returns a client whose calls time out after timeout (no
// redirects: the Bot API never redirects, and the token in the path must
// not follow one).
func NewClient(timeout time.Duration) *Client {
	return &Client{HTTP: driverkit.NoRedirectClient(timeout)}
}

var defaultClient = NewClient(30 * time.Second)

// Conn is one Telegram channel: its settings opened.
type Conn struct {
	s Settings
	c *Client
}

// answer is every Bot API answer: a result, or an error with its
// parameters.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// call makes one Bot API call, POST /bot<token>/<method> with a JSON body,
// and decodes its result into out (when not nil). Errors never show the
// URL: the token is in it.
func (c *Conn) call(ctx context.Context, method string, params, out any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return channel.Permanent(fmt.Errorf("telegram: %s: encode: %w", method, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.s.APIBase+"/bot"+c.s.BotToken+"/"+method, bytes.NewReader(raw))
	if err != nil {
		return channel.Permanent(fmt.Errorf("telegram: %s: the channel's api_base does not make a URL", method))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "switchboard")
	resp, err := c.c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("telegram: %s: %w", method, driverkit.NetworkCause(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, driverkit.MaxAnswer))
	if err != nil {
		return fmt.Errorf("telegram: %s: read answer: %w", method, driverkit.NetworkCause(err))
	}
	var a answer
	if json.Unmarshal(body, &a) != nil || (!a.OK && a.ErrorCode == 0) {
		err := fmt.Errorf("telegram: %s: HTTP %d, not the Bot API's answer (check the channel's api_base): %s", method, resp.StatusCode, driverkit.Shorten(driverkit.PageText(string(body))))
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return err // a proxy or an outage: retried with backoff
		}
		return channel.Permanent(err)
	}
	if !a.OK {
		return classify(method, a)
	}
	if out != nil {
		if err := json.Unmarshal(a.Result, out); err != nil {
			return channel.Permanent(fmt.Errorf("telegram: %s: the result does not read: %w", method, err))
		}
	}
	return nil
}

// classify turns a Bot API error into the channel's error classes
// (shared/spec/channels.md §4.3): a 429 is retried after exactly the
// retry_after Telegram gives, a 5xx with backoff; the rest (bad request,
// bad token, a user who blocked the bot) never succeeds as it is.
func classify(method string, a answer) error {
	err := fmt.Errorf("telegram: %s: %d %s", method, a.ErrorCode, driverkit.Shorten(a.Description))
	switch {
	case a.ErrorCode == http.StatusTooManyRequests:
		after := time.Duration(a.Parameters.RetryAfter) * time.Second
		if after <= 0 {
			after = driverkit.DefaultRetryAfter
		}
		return channel.RetryAfter(err, min(after, driverkit.MaxRetryAfter))
	case a.ErrorCode >= 500:
		return err
	}
	return channel.Permanent(err)
}

// maxFile is the largest file the Bot API lets a bot download (20 MB).
const maxFile = 20 << 20

// Media downloads a file a user sent: getFile gives its path, fetched at
// /file/bot<token>/<path> (the link lasts at least an hour).
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int64  `json:"file_size"`
	}
	if err := c.call(ctx, "getFile", map[string]any{"file_id": id}, &f); err != nil {
		return "", nil, err
	}
	if f.FilePath == "" {
		return "", nil, fmt.Errorf("telegram: getFile %s: no file_path (files over 20 MB cannot be downloaded by bots)", id)
	}
	u := c.s.APIBase + "/file/bot" + c.s.BotToken + "/" + (&url.URL{Path: f.FilePath}).EscapedPath()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", nil, fmt.Errorf("telegram: download %s: the file path does not make a URL", id)
	}
	resp, err := c.c.HTTP.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("telegram: download %s: %w", id, driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("telegram: download %s: HTTP %d", id, resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return ct, struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxFile), resp.Body}, nil
}
