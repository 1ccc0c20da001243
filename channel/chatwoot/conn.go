package chatwoot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
	"switchboard/internal/driverkit"
)

// Conn is one chatwoot channel: its settings opened.
type Conn struct {
	s   Settings
	api *driverkit.API
}

// call makes one call of the account's API as the agent bot.
func (c *Conn) call(ctx context.Context, op, method, path string, body, out any) error {
	auth := func(r *http.Request) { r.Header.Set("api_access_token", c.s.BotToken) }
	base := c.s.URL + "/api/v1/accounts/" + strconv.FormatInt(c.s.AccountID, 10)
	return c.api.Do(ctx, base, auth, driverkit.Call{Op: op, Method: method, Path: path, Body: body, Out: out})
}

// URLToken is the secret of the webhook URL (channel.URLTokener).
func (c *Conn) URLToken() string { return c.s.URLToken }

// Register checks the agent bot's token when the channel is saved: the
// token may call only a few endpoints (Chatwoot's
// BOT_ACCESSIBLE_ENDPOINTS), so it toggles the status of conversation 0,
// which no account has. A known token gets 404, a wrong one 401. The
// outgoing URL itself is set on the agent bot by an administrator.
func (c *Conn) Register(ctx context.Context, _ string) error {
	err := c.call(ctx, "check the agent bot's token", http.MethodPost, "/conversations/0/toggle_status", map[string]string{"status": "pending"}, nil)
	switch driverkit.StatusOf(err) {
	case http.StatusNotFound:
		return nil
	case http.StatusUnauthorized:
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.bot_token was refused by %s for account %d: copy the agent bot's access token again, and check account_id", c.s.URL, c.s.AccountID)
	case 0:
		if err == nil {
			return nil
		}
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.url: the Chatwoot API could not be reached to check the token: %v", err)
	}
	return switchboard.Errorf(switchboard.EINVALID, "chatwoot: the token check failed: %v", err)
}

// Check checks the agent bot's token as Register does (the page's "test
// webhook" button): Chatwoot lets an agent bot read nothing that would
// tell more.
func (c *Conn) Check(ctx context.Context) (string, error) {
	if err := c.Register(ctx, ""); err != nil {
		return "", err
	}
	inbox := "every inbox the agent bot is connected to"
	if c.s.InboxID != 0 {
		inbox = fmt.Sprintf("inbox %d", c.s.InboxID)
	}
	return fmt.Sprintf("The agent bot's token works for account %d at %s; the bot answers %s.", c.s.AccountID, c.s.URL, inbox), nil
}

// Unregister has nothing to undo: the outgoing URL is the operator's.
func (c *Conn) Unregister(context.Context) error { return nil }

// Handshake: Chatwoot verifies no webhook by GET.
func (c *Conn) Handshake(url.Values) (string, error) {
	return "", switchboard.Errorf(switchboard.EINVALID, "a chatwoot channel's webhook has no GET verification: set the webhook_url as the agent bot's outgoing URL")
}

// Verify: agent bot webhooks are not signed; the URL's token (checked by
// the layer) is the proof.
func (c *Conn) Verify(http.Header, []byte) error { return nil }

// Window: an agent bot may post in a conversation at any time.
func (c *Conn) Window() time.Duration { return 0 }

// Reopen: Chatwoot has no window for the bot to reopen.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener: none.
func (c *Conn) Reopener() string { return "" }

// Media: a contact's files come with public data_url links, which the
// items carry as they are; nothing is fetched through the channel.
func (c *Conn) Media(context.Context, string) (string, io.ReadCloser, error) {
	return "", nil, fmt.Errorf("chatwoot: files are linked by their data_url, not fetched")
}
