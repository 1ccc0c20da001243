package telegram

import (
	"context"
	"fmt"

	"switchboard"
	"switchboard/channel"
)

// Check reads the bot (getMe) and its webhook (getWebhookInfo) with the
// channel's token: it proves the token and api_base without sending
// anything, and says whether Telegram still delivers to a webhook and
// what its last delivery error was.
func (c *Conn) Check(ctx context.Context) (string, error) {
	var me struct {
		Username string `json:"username"`
	}
	if err := c.call(ctx, "getMe", struct{}{}, &me); err != nil {
		return "", c.checkFailed(err)
	}
	var hook struct {
		URL       string `json:"url"`
		Pending   int    `json:"pending_update_count"`
		LastError string `json:"last_error_message"`
	}
	if err := c.call(ctx, "getWebhookInfo", struct{}{}, &hook); err != nil {
		return "", c.checkFailed(err)
	}
	switch {
	case hook.URL == "":
		return "", switchboard.Errorf(switchboard.EINVALID, "the token of @%s works, but Telegram has no webhook for it (another program called deleteWebhook?): open Edit and Save to register it again", me.Username)
	case hook.LastError != "":
		return "", switchboard.Errorf(switchboard.EUNAVAILABLE, "the token of @%s works, but Telegram's last delivery to %s failed: %s (%d updates waiting)", me.Username, hook.URL, hook.LastError, hook.Pending)
	}
	return fmt.Sprintf("The token works: bot @%s; Telegram delivers to %s (%d updates waiting).", me.Username, hook.URL, hook.Pending), nil
}

// checkFailed says what a failed check call means.
func (c *Conn) checkFailed(err error) error {
	if channel.IsPermanent(err) {
		return switchboard.Errorf(switchboard.EINVALID, "Telegram refuses the bot token (%v): paste the token @BotFather gives, and check api_base", err)
	}
	return switchboard.Errorf(switchboard.EUNAVAILABLE, "Telegram at %s cannot be reached (%v): try again later", c.s.APIBase, err)
}
