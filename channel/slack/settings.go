package slack

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Type is the channel type.
const Type switchboard.ChannelType = "slack"

// DefaultAPIBase is Slack's Web API.
const DefaultAPIBase = "https://slack.com/api"

// Settings are a Slack channel's, as POST /v1/admin/channels takes them
// under "slack".
type Settings struct {
	// BotToken is the app's Bot User OAuth Token (xoxb-…): the Web API's
	// credentials. Sealed when stored.
	BotToken string `json:"bot_token"`
	// SigningSecret is the app's Signing Secret (Basic Information): the
	// key of every delivery's signature. Sealed when stored.
	SigningSecret string `json:"signing_secret"`
	// APIBase is the Web API's base URL (default DefaultAPIBase); the
	// simulator's URL in tests.
	APIBase string `json:"api_base,omitempty"`
}

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"bot_token": &s.BotToken, "signing_secret": &s.SigningSecret}
}

// Driver is the Slack channel's driver.
type Driver struct {
	// HTTP makes the Web API calls (default: 30 s timeout, no redirects).
	HTTP *http.Client
	// Clock tells whether a delivery's timestamp is recent (default the
	// system's): the server's injected clock.
	Clock switchboard.Clock
}

var defaultHTTP = driverkit.NoRedirectClient(30 * time.Second)

// Type is "slack".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected names the settings in errors.
const expected = "bot_token, signing_secret and, for a simulator, api_base"

// Setup checks the settings and seals the token and the secret.
func (Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.SetupSettings(Type, raw, seal, place, expected, (*Settings).secrets, (*Settings).check)
}

// Edit changes stored settings by those given (channel.Editor): a token or
// secret left empty keeps its value.
func (Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, nil, (*Settings).check)
}

// Description is the administration's form of a Slack channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "Slack",
		Webhook: "Request URL: paste it in the Slack app's Event Subscriptions and in its Interactivity & Shortcuts",
		Fields: []channel.Field{
			{Name: "bot_token", Label: "Bot token", Kind: channel.FieldSecret, Required: true, Placeholder: "xoxb-…", Help: "OAuth & Permissions → Bot User OAuth Token, after installing the app."},
			{Name: "signing_secret", Label: "Signing secret", Kind: channel.FieldSecret, Required: true, Help: "Basic Information → App Credentials → Signing Secret."},
			{Name: "api_base", Label: "Web API", Kind: channel.FieldURL, Placeholder: DefaultAPIBase, Help: "Leave empty for Slack's; the simulator's URL to try the bot offline."},
		},
	}
}

// check checks settings as given.
func (s *Settings) check() error {
	s.BotToken, s.SigningSecret = strings.TrimSpace(s.BotToken), strings.TrimSpace(s.SigningSecret)
	switch {
	case s.BotToken == "":
		return switchboard.Errorf(switchboard.EINVALID, "slack.bot_token is missing: the Bot User OAuth Token (xoxb-…) of the app's OAuth & Permissions page, after installing it to the workspace")
	case !strings.HasPrefix(s.BotToken, "xoxb-") || len(s.BotToken) > 255 || strings.ContainsAny(s.BotToken, " \t\r\n"):
		return switchboard.Errorf(switchboard.EINVALID, "slack.bot_token is not a bot token: it starts with xoxb- (a user token, xoxp-, or an app-level token, xapp-, does not post as the bot)")
	case s.SigningSecret == "":
		return switchboard.Errorf(switchboard.EINVALID, "slack.signing_secret is missing: the Signing Secret of the app's Basic Information page (App Credentials)")
	case len(s.SigningSecret) < 16 || len(s.SigningSecret) > 200 || strings.ContainsAny(s.SigningSecret, " \t\r\n"):
		return switchboard.Errorf(switchboard.EINVALID, "slack.signing_secret is not a signing secret (16 to 200 characters, no spaces): copy the Signing Secret, not the deprecated Verification Token")
	}
	var err error
	s.APIBase, err = channel.CheckAPIBase(Type, s.APIBase, DefaultAPIBase, false)
	return err
}

// Public is what the administration shows: no secret.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	return map[string]any{"api_base": s.APIBase}, nil
}

// Open opens the stored settings' secrets.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	var s Settings
	if err := channel.OpenStored(stored, &s, seal, place, s.secrets()); err != nil {
		return nil, err
	}
	c := &Conn{s: s, http: d.HTTP, clock: d.Clock}
	if c.http == nil {
		c.http = defaultHTTP
	}
	if c.clock == nil {
		c.clock = switchboard.SystemClock{}
	}
	return c, nil
}

// Conn is one Slack channel: its settings opened.
type Conn struct {
	s     Settings
	http  *http.Client
	clock switchboard.Clock
}
