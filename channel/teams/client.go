package teams

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Client fetches the Bot Framework's signing keys and the bots' tokens,
// and keeps both: channels are opened for every delivery and every send,
// the keys and tokens outlive them. One serves every channel.
type Client struct {
	HTTP *http.Client
	// Now is the clock of tokens and keys (default time.Now).
	Now func() time.Time

	api *driverkit.API
	// fetch serializes the keys' fetches: a burst of activities signed
	// with a new key fetches them once.
	fetch  sync.Mutex
	mu     sync.Mutex
	keys   map[string]*keySet
	tokens map[string]token
}

// NewClient returns a client whose calls time out after timeout (no
// redirects: the token must not follow one).
func NewClient(timeout time.Duration) *Client {
	c := &Client{HTTP: driverkit.NoRedirectClient(timeout), keys: map[string]*keySet{}, tokens: map[string]token{}}
	c.api = driverkit.NewAPI(driverkit.API{
		Platform: "teams", Name: "the Bot Connector", Fix: "check the serviceUrl of the conversation",
		Options:    driverkit.Options{HTTP: c.HTTP},
		Hints:      map[int]string{http.StatusForbidden: "the bot is not in the conversation, blocked or disabled", http.StatusNotFound: "no such conversation", http.StatusRequestEntityTooLarge: "the message is too big"},
		ParseError: parseError,
		Classify:   classify,
	})
	return c
}

var defaultClient = NewClient(30 * time.Second)

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// parseError reads the Bot Connector's error answer,
// {"error":{"code":"ConversationNotFound","message":"…"}}.
func parseError(e *driverkit.APIError, body []byte) {
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && (env.Error.Code != "" || env.Error.Message != "") {
		e.Code, e.Msg = env.Error.Code, driverkit.Shorten(env.Error.Message)
		return
	}
	e.Msg = driverkit.Shorten(driverkit.PageText(string(body)))
}

// classify is driverkit's (429 with its Retry-After, 408 and 5xx retried,
// the rest permanent) but for 412, which Teams asks to retry.
func classify(e *driverkit.APIError, h http.Header, now time.Time) error {
	if e.Status == http.StatusPreconditionFailed {
		return e
	}
	return driverkit.Classify(e, h, now)
}

// token is a bot's access token and when it stops being used.
type token struct {
	value string
	until time.Time
}

// tokenMargin is how long before its expiry a token is replaced.
const tokenMargin = 5 * time.Minute

// tokenKey names a bot's token in the cache: its endpoint, app id and a
// hash of its password (a changed password gets a new token).
func tokenKey(s Settings) string {
	sum := sha256.Sum256([]byte(s.AppPassword))
	return s.TokenURL + " " + s.AppID + " " + hex.EncodeToString(sum[:8])
}

// token returns the bot's access token for the Bot Connector: the cached
// one, or a new one of the client-credentials grant.
func (c *Client) token(ctx context.Context, s Settings) (string, error) {
	key := tokenKey(s)
	c.mu.Lock()
	t, ok := c.tokens[key]
	c.mu.Unlock()
	if ok && c.now().Before(t.until) {
		return t.value, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.AppID}, "client_secret": {s.AppPassword}, "scope": {Scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", channel.Permanent(fmt.Errorf("teams: token: the channel's token_url does not make a request: %w", err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("teams: token: %w", driverkit.NetworkCause(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, driverkit.MaxAnswer))
	if err != nil {
		return "", fmt.Errorf("teams: token: read answer: %w", driverkit.NetworkCause(err))
	}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &out)
	if resp.StatusCode != http.StatusOK || out.AccessToken == "" {
		err := fmt.Errorf("teams: token: HTTP %d %s %s", resp.StatusCode, out.Error, driverkit.Shorten(out.Description))
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return "", err
		}
		// A wrong app id or password (AADSTS7000215), an unknown tenant:
		// the same request never gets a token.
		return "", channel.Permanent(fmt.Errorf("%w: check app_id, app_password and tenant_id", err))
	}
	t = token{value: out.AccessToken, until: c.now().Add(time.Duration(out.ExpiresIn)*time.Second - tokenMargin)}
	c.mu.Lock()
	c.tokens[key] = t
	c.mu.Unlock()
	return t.value, nil
}

// dropToken forgets a bot's token the Bot Connector refused.
func (c *Client) dropToken(s Settings) {
	c.mu.Lock()
	delete(c.tokens, tokenKey(s))
	c.mu.Unlock()
}
