package gorgias

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Options configure a Client; the zero value works.
type Options = driverkit.Options

// Client is the Gorgias driver: one attempt per call, errors classified for
// the outbox. Credentials come with each request (the bot's settings), so one
// Client serves every bot and every Gorgias account.
type Client struct {
	// Threads are End and Note, on the session's ticket.
	driverkit.Threads[ticket]
	api   *driverkit.API
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
	api := driverkit.NewAPI(driverkit.API{
		Platform: "gorgias", Name: "the Gorgias API", Fix: "check the domain",
		Options: o,
		// Hints say what a status usually means with Gorgias.
		Hints: map[int]string{
			http.StatusUnauthorized:          "the username or API key was refused",
			http.StatusForbidden:             "the API user may not do this",
			http.StatusNotFound:              "no such account, ticket or message",
			http.StatusConflict:              "it already exists",
			http.StatusRequestEntityTooLarge: "the request is too large",
		},
		ParseError: func(e *APIError, body []byte) { e.Msg, e.Fields = parseErrorBody(body) },
	})
	c := &Client{api: api, clock: api.Clock, customers: driverkit.NewCache[string, int64](100_000), posted: driverkit.NewCache[string, struct{}](100_000)}
	c.Threads.Open = driverkit.OpenOn(accountOf, ticketOf, func(a account, id int64) ticket { return ticket{c: c, a: a, id: id} })
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

// call is one API request, its path under /api.
type call = driverkit.Call

// do sends one request as the account's user (see driverkit.API.Do).
func (c *Client) do(ctx context.Context, a account, r call) error {
	r.Path = "/api" + r.Path
	return c.api.Do(ctx, a.base, func(req *http.Request) { req.SetBasicAuth(a.username, a.apiKey) }, r)
}
