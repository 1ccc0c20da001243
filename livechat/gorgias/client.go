package gorgias

import (
	"context"
	"errors"
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
	// Redirects are never followed: the API does not redirect, a wrong
	// domain does.
	HTTP *http.Client
	// Clock dates the user messages switchboard imports (sent_datetime).
	Clock switchboard.Clock
}

// Client is the Gorgias driver: one attempt per call, errors classified for
// the outbox. Credentials come with each request (the bot's settings), so one
// Client serves every bot and every Gorgias account.
type Client struct {
	http  *http.Client
	clock switchboard.Clock
	// customers remembers the customer of each ticket it opened or read, to
	// name the sender of user messages without asking again; posted
	// remembers the messages it posted, whose webhook calls come back. Both
	// are keyed by account and id (ids are per account).
	customers *driverkit.Cache[string, int64]
	posted    *driverkit.Cache[string, struct{}]
}

var (
	_ livechat.Provider = (*Client)(nil)
	_ livechat.Checker  = (*Client)(nil)
)

// New returns a driver.
func New(o Options) *Client {
	c := &Client{http: o.HTTP, clock: o.Clock, customers: driverkit.NewCache[string, int64](100_000), posted: driverkit.NewCache[string, struct{}](100_000)}
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

// account is where and as whom to call the API.
type account struct {
	base, username, apiKey string
}

// key names an object of this account in the Client's memories.
func (a account) key(id int64) string { return a.base + "#" + strconv.FormatInt(id, 10) }

// postedByUs reports whether switchboard posted this message (its webhook
// call is an echo).
func (c *Client) postedByUs(a account, id int64) bool {
	return c.posted.Has(a.key(id))
}

// accountOf reads a bot's Gorgias settings; missing settings are permanent.
func accountOf(s livechat.Resolved) (account, error) {
	g := s.Gorgias
	if g == nil {
		return account{}, livechat.Misconfigured(errors.New("gorgias: the bot has no Gorgias settings (domain, username, api_key)"))
	}
	base, err := BaseURL(g.Domain)
	if err != nil {
		return account{}, livechat.Misconfigured(err)
	}
	return account{base: base, username: strings.TrimSpace(g.Username), apiKey: strings.TrimSpace(g.APIKey)}, nil
}

// call is one API request: op names it in errors ("create ticket").
type call struct {
	op, method, path string
	query            url.Values
	body, out        any
}

// do sends one request and decodes a 2xx answer into c.out. A failure is an
// *APIError wrapped by its class (see classify); a network failure or a
// timeout is transient.
func (c *Client) do(ctx context.Context, a account, r call) error {
	u := a.base + "/api" + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return driverkit.JSONCall{
		Platform: "gorgias", API: "the Gorgias API", Fix: "check the domain", Base: a.base,
		Op: r.op, Method: r.method, URL: u, Body: r.body, Out: r.out,
		Auth: func(req *http.Request) { req.SetBasicAuth(a.username, a.apiKey) },
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
