package chatwoot

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

// Check runs on save: it reads the account from the token's profile, then
// finds the bot's dedicated API inbox (the one it made before, known by its
// id or by the bot's token in its webhook URL) or creates it, points its
// webhook at switchboard's receive URL, and keeps the account, the inbox and
// its webhook secret in the settings. Saving twice makes one inbox. Errors
// say in plain words what failed: the URL, the token, the user's role, or
// the network.
func (c *Client) Check(ctx context.Context, r livechat.CheckRequest) (livechat.Settings, error) {
	s := r.Settings
	if s.Chatwoot == nil {
		return s, switchboard.Errorf(switchboard.EINVALID, "livechat platform chatwoot needs the chatwoot settings: url and access_token")
	}
	cw := *s.Chatwoot
	base, err := BaseURL(cw.URL)
	if err != nil {
		return s, err
	}
	a := account{base: base, token: strings.TrimSpace(cw.AccessToken)}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var p Profile
	if err := c.do(ctx, a, call{Op: "read profile", Method: http.MethodGet, Path: "/api/v1/profile", Out: &p}); err != nil {
		return s, explainCheck(err, a)
	}
	acct, err := pickAccount(p, int64(cw.AccountID), base)
	if err != nil {
		return s, err
	}
	a.id = acct.ID
	receive := ReceiveURL(r.PublicURL, s.Token)
	inbox, err := c.ensureInbox(ctx, a, int64(cw.InboxID), receive, s.Token, r.BotID)
	if err != nil {
		return s, explainCheck(err, a)
	}
	if cw.Signature == "required" && inbox.Secret == "" {
		return s, switchboard.Errorf(switchboard.EINVALID, "Chatwoot at %s gives no webhook secret for inbox %d (versions before signed API inbox webhooks): set signature to present or off", base, inbox.ID)
	}
	cw.URL, cw.AccountID, cw.InboxID, cw.WebhookSecret = base, int(acct.ID), int(inbox.ID), inbox.Secret
	s.Chatwoot = &cw
	return s, nil
}

// pickAccount chooses the account to work in: the one the settings name,
// else the profile's current one, else the first the user administers.
// Creating an inbox and reading its secret need an administrator.
func pickAccount(p Profile, want int64, base string) (AccountRef, error) {
	var admin *AccountRef
	for i, acct := range p.Accounts {
		switch {
		case want != 0 && acct.ID == want:
			if acct.Role != "administrator" {
				return acct, switchboard.Errorf(switchboard.EINVALID, "the Chatwoot user %s is an %s of account %d, not an administrator: use an administrator's access token (creating the inbox needs one)", p.Email, acct.Role, acct.ID)
			}
			return acct, nil
		case want == 0 && acct.Role == "administrator" && (admin == nil || acct.ID == p.AccountID):
			admin = &p.Accounts[i]
		}
	}
	switch {
	case want != 0:
		return AccountRef{}, switchboard.Errorf(switchboard.EINVALID, "the Chatwoot user %s at %s is not in account %d", p.Email, base, want)
	case admin == nil:
		return AccountRef{}, switchboard.Errorf(switchboard.EINVALID, "the Chatwoot user %s at %s administers no account: use an administrator's access token (creating the inbox needs one)", p.Email, base)
	}
	return *admin, nil
}

// inboxName is the dedicated inbox's name, as agents see it.
func inboxName(botID string) string { return "switchboard " + botID }

// ensureInbox returns the bot's inbox, with its webhook set to receive.
func (c *Client) ensureInbox(ctx context.Context, a account, known int64, receive, token, botID string) (*Inbox, error) {
	var inboxes list[Inbox]
	if err := c.do(ctx, a, call{Op: "list inboxes", Method: http.MethodGet, Path: a.path("/inboxes"), Out: &inboxes}); err != nil {
		return nil, err
	}
	for _, in := range inboxes.Payload {
		if in.ChannelType != "Channel::Api" || (in.ID != known && !ours(in.WebhookURL, token)) {
			continue
		}
		if in.WebhookURL == receive {
			return &in, nil
		}
		var out Inbox
		body := map[string]any{"channel": map[string]any{"webhook_url": receive}}
		if err := c.do(ctx, a, call{Op: "update inbox webhook", Method: http.MethodPatch, Path: a.path("/inboxes/%d", in.ID), Body: body, Out: &out}); err != nil {
			return nil, err
		}
		return &out, nil
	}
	var out Inbox
	body := map[string]any{"name": inboxName(botID), "channel": map[string]any{"type": "api", "webhook_url": receive}}
	if err := c.do(ctx, a, call{Op: "create inbox", Method: http.MethodPost, Path: a.path("/inboxes"), Body: body, Out: &out}); err != nil {
		return nil, err
	}
	if out.ID == 0 {
		return nil, livechat.Permanent(errors.New("chatwoot: create inbox: the answer has no inbox id"))
	}
	return &out, nil
}

// ours reports whether a webhook URL is switchboard's with this token (the
// inbox a former save made, also on another public URL).
func ours(webhook, token string) bool {
	u, err := url.Parse(webhook)
	return err == nil && strings.HasSuffix(u.Path, ReceivePath) && token != "" && u.Query().Get("token") == token
}

// explainCheck turns a failed check into an error an operator can act on.
func explainCheck(err error, a account) error {
	words := driverkit.CheckWords{Product: "Chatwoot", Place: "the Chatwoot instance", Fix: "check the url"}
	return driverkit.ExplainCheck(err, a.base, words, func(api *APIError) error {
		switch {
		case api.Status == http.StatusUnauthorized && a.id == 0:
			return switchboard.Errorf(switchboard.EINVALID, "Chatwoot at %s refused the access token (401 %s): copy it from Profile settings > Access token in Chatwoot", a.base, api.Msg)
		case api.Status == http.StatusUnauthorized || api.Status == http.StatusForbidden:
			return switchboard.Errorf(switchboard.EINVALID, "the Chatwoot user may not manage inboxes of account %d (%d %s): use an administrator's access token", a.id, api.Status, api.Msg)
		case api.Status == http.StatusNotFound:
			return switchboard.Errorf(switchboard.EINVALID, "there is no Chatwoot API at %s (404 Not Found on %s): check the url", a.base, api.Op)
		}
		return nil
	})
}

// idOf renders an id for paths and sessions.
func idOf(id int64) string { return strconv.FormatInt(id, 10) }
