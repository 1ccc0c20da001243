package chatwoot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Options configure a Client; the zero value works.
type Options struct {
	// HTTP makes the requests; nil means a client with a 20-second timeout.
	// Redirects are never followed: the API does not redirect, a wrong URL
	// (a login page) does.
	HTTP *http.Client
	// Clock reads Retry-After dates.
	Clock switchboard.Clock
}

// Client is the Chatwoot driver: one attempt per call, errors classified
// for the outbox. Credentials come with each request (the bot's settings),
// so one Client serves every bot and every Chatwoot instance.
type Client struct {
	http  *http.Client
	clock switchboard.Clock
}

var (
	_ livechat.Provider = (*Client)(nil)
	_ livechat.Checker  = (*Client)(nil)
)

// New returns a driver.
func New(o Options) *Client {
	c := &Client{http: o.HTTP, clock: o.Clock}
	if c.http == nil {
		c.http = &http.Client{Timeout: 20 * time.Second}
	}
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	if c.clock == nil {
		c.clock = switchboard.SystemClock{}
	}
	return c
}

// account is where and as whom to call the API: an instance, a token, and
// the account and inbox Check found (zero before).
type account struct {
	base, token string
	id, inbox   int64
}

// path is an account-scoped API path.
func (a account) path(format string, args ...any) string {
	return "/api/v1/accounts/" + strconv.FormatInt(a.id, 10) + fmt.Sprintf(format, args...)
}

// accountOf reads a bot's checked Chatwoot settings; missing settings are
// permanent.
func accountOf(s livechat.Resolved) (account, error) {
	c := s.Chatwoot
	if c == nil {
		return account{}, livechat.Misconfigured(errors.New("chatwoot: the bot has no Chatwoot settings (url, access_token)"))
	}
	base, err := BaseURL(c.URL)
	if err != nil {
		return account{}, livechat.Misconfigured(err)
	}
	if c.AccountID == 0 || c.InboxID == 0 {
		return account{}, livechat.Misconfigured(errors.New("chatwoot: the settings have no account or inbox: save the bot's livechat settings again"))
	}
	return account{base: base, token: strings.TrimSpace(c.AccessToken), id: int64(c.AccountID), inbox: int64(c.InboxID)}, nil
}

// call is one API request: op names it in errors ("create contact").
type call struct {
	op, method, path string
	query            url.Values
	body, out        any
}

// do sends one request and decodes a 2xx answer into c.out. A failure is an
// *APIError wrapped by its class (see classify); a network failure or a
// timeout is transient.
func (c *Client) do(ctx context.Context, a account, r call) error {
	u := a.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return driverkit.JSONCall{
		Platform: "chatwoot", API: "the Chatwoot API", Fix: "check the url", Base: a.base,
		Op: r.op, Method: r.method, URL: u, Body: r.body, Out: r.out,
		Auth: func(req *http.Request) { req.Header.Set("api_access_token", a.token) },
		Classify: func(resp *http.Response, raw []byte) error {
			return classify(r.op, resp, raw, c.clock.Now())
		},
	}.Do(ctx, c.http)
}

// statusOf returns the status of an API error, or 0.
func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// errorf makes an error that names the driver.
func errorf(format string, args ...any) error {
	return fmt.Errorf("chatwoot: "+format, args...)
}
