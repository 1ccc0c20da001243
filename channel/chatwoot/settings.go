package chatwoot

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Type is the channel type.
const Type switchboard.ChannelType = "chatwoot"

// Settings are a chatwoot channel's, as POST /v1/admin/channels takes them
// under "chatwoot"; URLToken is switchboard's.
type Settings struct {
	// URL is the Chatwoot instance ("https://app.chatwoot.com").
	URL string `json:"url"`
	// AccountID is the account the agent bot belongs to.
	AccountID int64 `json:"account_id"`
	// BotToken is the agent bot's access token (api_access_token).
	BotToken string `json:"bot_token"`
	// InboxID, when set, is the only inbox whose conversations the bot
	// answers; 0 serves every inbox the agent bot is connected to.
	InboxID int64 `json:"inbox_id,omitempty"`
	// HandoffOnEnd hands the conversation to the agents when the bot's
	// CSML conversation ends (goto end), as Chatwoot's removed CSML bot
	// type did: what a bot moved from it expects.
	HandoffOnEnd bool `json:"handoff_on_end,omitempty"`
	// URLToken authenticates Chatwoot's deliveries: made by Setup.
	URLToken string `json:"url_token,omitempty"`
}

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"bot_token": &s.BotToken, "url_token": &s.URLToken}
}

// Driver is the chatwoot channel's driver.
type Driver struct {
	// HTTP makes the API calls (default: one with driverkit's timeout).
	HTTP *http.Client
}

// Type is "chatwoot".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected are the settings a chatwoot channel takes, for errors.
const expected = "url, account_id, bot_token and optionally inbox_id and handoff_on_end"

// Setup checks the settings, makes the webhook URL's token and seals both
// secrets. The token is checked against the API by Register.
func (Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	var s Settings
	if err := channel.DecodeSettings(Type, raw, &s, expected); err != nil {
		return nil, err
	}
	if s.URLToken != "" {
		return nil, switchboard.Errorf(switchboard.EINVALID, "chatwoot.url_token is not a setting: switchboard makes the webhook URL's token itself")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.URLToken = channel.NewSecret()
	channel.SealFields(seal, place, s.secrets())
	return json.Marshal(s)
}

// Edit changes stored settings by those given (channel.Editor): a token
// left empty keeps its value, and the webhook URL's token stays, so the
// outgoing URL set on the agent bot keeps working. The layer then checks
// the token again (Register).
func (Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, []string{"url_token"}, (*Settings).check)
}

// Description is the administration's form of a chatwoot channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "Chatwoot agent bot",
		Webhook: "Outgoing URL to set on the agent bot (Chatwoot's Settings > Bots, or the agent bot API's outgoing_url); it carries the channel's token: keep it private",
		Fields: []channel.Field{
			{Name: "url", Label: "Chatwoot URL", Kind: channel.FieldURL, Required: true, Placeholder: "https://app.chatwoot.com", Help: "The address of the Chatwoot instance."},
			{Name: "account_id", Label: "Account ID", Kind: channel.FieldNumber, Required: true, Help: "The number after /app/accounts/ in the dashboard's address."},
			{Name: "bot_token", Label: "Agent bot token", Kind: channel.FieldSecret, Required: true, Help: "The agent bot's access token (Settings > Bots)."},
			{Name: "inbox_id", Label: "Inbox ID (optional)", Kind: channel.FieldNumber, Help: "Answer this inbox only; leave empty for every inbox the agent bot is connected to."},
			{Name: "handoff_on_end", Label: "Hand over when the flow ends", Kind: channel.FieldBool, Help: "As Chatwoot's CSML bots did: a conversation whose flow ends (goto end) goes to the agents."},
		},
	}
}

// check names the first bad setting, and trims the URL's final slash.
func (s *Settings) check() error {
	s.URL = strings.TrimRight(s.URL, "/")
	u, err := url.Parse(s.URL)
	switch {
	case s.URL == "":
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.url is missing: the address of the Chatwoot instance, as https://app.chatwoot.com")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil:
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.url %q is not an http(s) address without query or credentials", s.URL)
	case s.AccountID <= 0:
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.account_id is missing or not positive: the number after /app/accounts/ in the dashboard's address")
	case strings.TrimSpace(s.BotToken) == "" || len(s.BotToken) > 200:
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.bot_token is missing or too long: the agent bot's access token (Settings > Bots, or the agent bot API's access_token)")
	case s.InboxID < 0:
		return switchboard.Errorf(switchboard.EINVALID, "chatwoot.inbox_id must be a positive inbox id, or left out for every inbox of the bot")
	}
	return nil
}

// Public is the settings without secrets.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	out := map[string]any{"url": s.URL, "account_id": s.AccountID}
	if s.InboxID != 0 {
		out["inbox_id"] = s.InboxID
	}
	if s.HandoffOnEnd {
		out["handoff_on_end"] = true
	}
	return out, nil
}

// Open opens the stored settings.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	var s Settings
	if err := channel.OpenStored(stored, &s, seal, place, s.secrets()); err != nil {
		return nil, err
	}
	api := driverkit.NewAPI(driverkit.API{
		Platform: "chatwoot", Name: "the Chatwoot API", Fix: "check the channel's url", Options: driverkit.Options{HTTP: d.HTTP},
		Hints: map[int]string{http.StatusUnauthorized: "the agent bot's token was refused", http.StatusNotFound: "no such conversation in the account"},
	})
	return &Conn{s: s, api: api}, nil
}
