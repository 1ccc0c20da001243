package telegram

import (
	"encoding/json"
	"regexp"
	"strings"

	"switchboard"
	"switchboard/channel"
)

// Type is the channel type.
const Type switchboard.ChannelType = "telegram"

// DefaultAPIBase is Telegram's Bot API server.
const DefaultAPIBase = "https://api.telegram.org"

// Settings are a Telegram channel's, as POST /v1/admin/channels takes them
// under "telegram" (bot_token, api_base); the secret is switchboard's.
type Settings struct {
	// BotToken is the token @BotFather gave ("123456:ABC-…"): it is in the
	// path of every call.
	BotToken string `json:"bot_token"`
	// APIBase is the Bot API server (default DefaultAPIBase); the
	// simulator's URL in tests, or a local Bot API server.
	APIBase string `json:"api_base,omitempty"`
	// Secret is the secret_token given to setWebhook, which Telegram sends
	// back with every update: made by Setup, never by the operator.
	Secret string `json:"secret,omitempty"`
}

// tokenShape is what @BotFather's tokens look like: the bot's numeric id,
// a colon, and the secret part.
var tokenShape = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,200}$`)

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"bot_token": &s.BotToken, "secret": &s.Secret}
}

// Driver is the Telegram channel's driver.
type Driver struct {
	// Client makes the Bot API calls (default: one with a 30 s timeout).
	Client *Client
}

// Type is "telegram".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected are the settings a telegram channel takes, for errors.
const expected = "bot_token and, for a simulator or a local Bot API server, api_base"

// Setup checks the settings, makes the webhook's secret and seals both.
func (Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	var s Settings
	if err := channel.DecodeSettings(Type, raw, &s, expected); err != nil {
		return nil, err
	}
	if s.Secret != "" {
		return nil, switchboard.Errorf(switchboard.EINVALID, "telegram.secret is not a setting: switchboard makes the webhook's secret token itself")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.Secret = channel.NewSecret() // an alphabet and a length Telegram takes (1 to 256)
	channel.SealFields(seal, place, s.secrets())
	return json.Marshal(s)
}

// check checks settings as given.
func (s *Settings) check() error {
	s.BotToken = strings.TrimSpace(s.BotToken)
	if s.BotToken == "" {
		return switchboard.Errorf(switchboard.EINVALID, "telegram.bot_token is missing: the token @BotFather gave when the bot was made (/newbot), as 123456789:AAF…")
	}
	if !tokenShape.MatchString(s.BotToken) {
		return switchboard.Errorf(switchboard.EINVALID, "telegram.bot_token is not a bot token: expected the bot's id, a colon and the secret part (as 123456789:AAF…), exactly as @BotFather gave it")
	}
	var err error
	s.APIBase, err = channel.CheckAPIBase(Type, s.APIBase, DefaultAPIBase, false)
	return err
}

// Public is what the administration shows: the bot's id and the API
// server, never the token or the secret.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	return map[string]any{"api_base": s.APIBase}, nil
}

// Edit changes stored settings by those given (channel.Editor): a token
// left empty keeps its value; a new one must be the same bot's (a token
// revoked in @BotFather), as the channel's conversations are that bot's.
// The layer then calls setWebhook with it.
func (Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	old, err := open(stored, seal, place)
	if err != nil {
		return nil, err
	}
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, []string{"secret"}, func(s *Settings) error {
		if err := s.check(); err != nil {
			return err
		}
		if was, now := botID(old.BotToken), botID(s.BotToken); was != now {
			return switchboard.Errorf(switchboard.EINVALID, "telegram.bot_token is bot %s's, and the channel is bot %s's: add a channel for another bot", now, was)
		}
		return nil
	})
}

// botID is the bot's id, the part of its token before the colon.
func botID(token string) string {
	id, _, _ := strings.Cut(token, ":")
	return id
}

// Description is the administration's form of a telegram channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "Telegram",
		Webhook: "Webhook URL: switchboard registered it with Telegram itself (setWebhook), there is nothing to paste",
		Fields: []channel.Field{
			{Name: "bot_token", Label: "Bot token", Kind: channel.FieldSecret, Required: true, Placeholder: "123456789:AAF…", Help: "The token @BotFather gave when the bot was made (/newbot)."},
			{Name: "api_base", Label: "Bot API server", Kind: channel.FieldURL, Placeholder: DefaultAPIBase, Help: "Leave empty for Telegram's; a local Bot API server's or the simulator's URL."},
		},
	}
}

// Open opens the stored settings' secrets.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	s, err := open(stored, seal, place)
	if err != nil {
		return nil, err
	}
	client := d.Client
	if client == nil {
		client = defaultClient
	}
	return &Conn{s: s, c: client}, nil
}

// open reads stored settings with their secrets opened.
func open(stored json.RawMessage, seal channel.Sealer, place string) (Settings, error) {
	var s Settings
	err := channel.OpenStored(stored, &s, seal, place, s.secrets())
	return s, err
}
