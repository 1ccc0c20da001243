package telegram

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"switchboard"
	"switchboard/channel"
)

// Send makes one Bot API call to a chat and returns the sent message's id
// ("" for a chat action, which has none).
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	body, ok := n.Body.(map[string]any)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("telegram: %s: not a Bot API call", n.Kind))
	}
	req := maps.Clone(body)
	req["chat_id"] = to
	if n.Kind == "sendChatAction" {
		return "", c.call(ctx, n.Kind, req, nil)
	}
	var m struct {
		MessageID int64 `json:"message_id"`
	}
	if err := c.call(ctx, n.Kind, req, &m); err != nil {
		return "", err
	}
	if m.MessageID == 0 {
		return "", channel.Permanent(fmt.Errorf("telegram: %s: the result has no message_id", n.Kind))
	}
	// Message ids count per chat: the chat makes the id the channel's.
	return to + ":" + strconv.FormatInt(m.MessageID, 10), nil
}

// Reopen: Telegram has no window to reopen.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener: none.
func (c *Conn) Reopener() string { return "" }

// allowedUpdates are the update types the channel asks for: a user's
// messages and button presses.
var allowedUpdates = []string{"message", "callback_query"}

// maxConnections is 1: Telegram then delivers one update at a time, in
// update_id order, so a user's messages reach the bot in the order they
// were written (with more, they come in parallel and may cross). The
// webhook only records and answers, so one connection carries hundreds
// of updates a second.
const maxConnections = 1

// Register calls setWebhook with the channel's URL and secret. Telegram's
// refusal (a bad token, a URL it does not take: HTTPS on port 443, 80, 88
// or 8443 only) refuses the channel, with Telegram's words.
func (c *Conn) Register(ctx context.Context, webhookURL string) error {
	err := c.call(ctx, "setWebhook", map[string]any{"url": webhookURL, "secret_token": c.s.Secret, "allowed_updates": allowedUpdates, "max_connections": maxConnections}, nil)
	switch {
	case err == nil:
		return nil
	case channel.IsPermanent(err):
		return switchboard.Errorf(switchboard.EINVALID, "Telegram refused the webhook %s: %v: check telegram.bot_token, and that switchboard's public URL is HTTPS on port 443, 80, 88 or 8443", webhookURL, err)
	}
	return switchboard.Errorf(switchboard.EUNAVAILABLE, "Telegram could not be reached to set the webhook (%v): try again later", err)
}

// Unregister calls deleteWebhook; updates not delivered yet are dropped
// with it, as no channel would take them.
func (c *Conn) Unregister(ctx context.Context) error {
	return c.call(ctx, "deleteWebhook", map[string]any{"drop_pending_updates": true}, nil)
}
