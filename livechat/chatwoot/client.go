package chatwoot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Options configure a Client; the zero value works.
type Options = driverkit.Options

// Client is the Chatwoot driver: one attempt per call, errors classified
// for the outbox. Credentials come with each request (the bot's settings),
// so one Client serves every bot and every Chatwoot instance.
type Client struct {
	// Threads are End and Note, on the session's conversation.
	driverkit.Threads[conversation]
	api *driverkit.API
}

var (
	_ livechat.Provider = (*Client)(nil)
	_ livechat.Checker  = (*Client)(nil)
)

// New returns a driver.
func New(o Options) *Client {
	c := &Client{api: driverkit.NewAPI(driverkit.API{
		Platform: "chatwoot", Name: "the Chatwoot API", Fix: "check the url",
		Options: o,
		// Hints say what a status usually means with Chatwoot.
		Hints: map[int]string{
			http.StatusUnauthorized:        "the access token was refused, or its user may not do this",
			http.StatusForbidden:           "not allowed",
			http.StatusNotFound:            "no such account, inbox or conversation",
			http.StatusUnprocessableEntity: "refused",
		},

		ParseError: func(e *APIError, body []byte) { e.Msg = parseErrorBody(body) },
	})}
	c.Threads.Open = driverkit.OpenOn(accountOf, conversationOf, func(a account, id int64) conversation { return conversation{c: c, a: a, id: id} })
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

// call is one API request.
type call = driverkit.Call

// do sends one request with the account's token (see driverkit.API.Do).
func (c *Client) do(ctx context.Context, a account, r call) error {
	return c.api.Do(ctx, a.base, func(req *http.Request) { req.Header.Set("api_access_token", a.token) }, r)
}

// errorf makes an error that names the driver.
func errorf(format string, args ...any) error {
	return fmt.Errorf("chatwoot: "+format, args...)
}
