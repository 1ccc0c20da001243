package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
)

// apiClient is a user of an app on the Chat API, in private mode (signed
// requests), with a callback URL where the harness receives the messages
// that answer no request (docs/api.md). Each event has a request id, so
// sending it again after a failure runs it once.
type apiClient struct {
	base, key, secret, callback string
	user                        *userLog
	http                        *http.Client
	seq                         int
}

// newAPIClient is a user of the API channel with these credentials; its
// user id is its name.
func newAPIClient(base, key, secret, callback string, u *userLog) *apiClient {
	u.mu.Lock()
	u.UserID = "api-" + u.Name
	u.mu.Unlock()
	return &apiClient{base: base, key: key, secret: secret, callback: callback, user: u, http: &http.Client{Timeout: 30 * time.Second, Transport: pooled}}
}

// pooled is the connection pool of the users' and agents' HTTP clients:
// large enough that hundreds of them keep their connections.
var pooled = &http.Transport{MaxIdleConnsPerHost: 512, IdleConnTimeout: 30 * time.Second}

// sign returns the private-mode headers of a request made now: the time
// in milliseconds, so that a request sent again is signed anew.
func (c *apiClient) sign(h http.Header) {
	stamp := c.key + "|" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(c.secret))
	m.Write([]byte(stamp))
	h.Set("X-Api-Key", stamp)
	h.Set("X-Api-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
}

// chatAnswer is what POST /v1/api/chat answers that the harness reads.
type chatAnswer struct {
	Messages []switchboard.Message `json:"messages"`
	Livechat *struct {
		SessionID string `json:"session_id"`
	} `json:"livechat"`
}

// send sends one event, again with the same request id while the answer
// is a failure of the way there (no answer, 5xx) or a 429, and
// records the bot's messages it answers. It returns the user's live
// session, if any.
func (c *apiClient) send(ctx context.Context, p switchboard.Payload) (string, error) {
	c.seq++
	body, _ := json.Marshal(map[string]any{
		"client": map[string]string{"user_id": c.user.UserID}, "request_id": fmt.Sprintf("%s-e%d", c.user.Name, c.seq),
		"callback_url": c.callback, "payload": p,
	})
	var out chatAnswer
	err := retry(ctx, c.user.ledger, "chat api: event sent again", func() (bool, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v1/api/chat", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c.sign(req.Header)
		res, err := c.http.Do(req)
		if err != nil {
			return true, err
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			again := res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests
			return again, fmt.Errorf("POST /v1/api/chat: %s %s", res.Status, bytes.TrimSpace(raw))
		}
		return false, json.Unmarshal(raw, &out)
	})
	if err != nil {
		return "", err
	}
	for _, m := range out.Messages {
		c.user.receive(m, "answer")
	}
	if out.Livechat != nil {
		return out.Livechat.SessionID, nil
	}
	return "", nil
}

// event sends one event (chatClient).
func (c *apiClient) event(ctx context.Context, p switchboard.Payload) (string, error) {
	return c.send(ctx, p)
}

// close has nothing to close: an app's user has no connection of its own.
func (c *apiClient) close() {}

// history reads the user's whole history, page by page.
func (c *apiClient) history(ctx context.Context) ([]switchboard.Message, error) {
	var out []switchboard.Message
	var after int64
	for {
		var page struct {
			Messages []switchboard.Message `json:"messages"`
			HasMore  bool                  `json:"has_more"`
		}
		err := retry(ctx, c.user.ledger, "chat api: history", func() (bool, error) {
			q := url.Values{"user_id": {c.user.UserID}, "after": {strconv.FormatInt(after, 10)}, "limit": {"500"}}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/api/messages?"+q.Encode(), nil)
			c.sign(req.Header)
			res, err := c.http.Do(req)
			if err != nil {
				return true, err
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				raw, _ := io.ReadAll(res.Body)
				return res.StatusCode >= 500, fmt.Errorf("GET /v1/api/messages: %s %s", res.Status, bytes.TrimSpace(raw))
			}
			return false, json.NewDecoder(res.Body).Decode(&page)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Messages...)
		if !page.HasMore || len(page.Messages) == 0 {
			return out, nil
		}
		after = page.Messages[len(page.Messages)-1].ID
	}
}
