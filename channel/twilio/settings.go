package twilio

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Type is the channel type.
const Type switchboard.ChannelType = "twilio"

// DefaultAPIBase is Twilio's REST API.
const DefaultAPIBase = "https://api.twilio.com"

// Settings are a Twilio channel's, as POST /v1/admin/channels takes them
// under "twilio".
type Settings struct {
	// AccountSID is the account's id (AC followed by 32 hex digits).
	AccountSID string `json:"account_sid"`
	// AuthToken is the account's Auth Token: the REST API's password and
	// the key of the webhooks' signatures. Sealed when stored.
	AuthToken string `json:"auth_token"`
	// From is the Twilio number the channel texts from, in E.164
	// (+15017122661).
	From string `json:"from"`
	// APIBase is the REST API's base URL (default DefaultAPIBase); the
	// simulator's URL in tests.
	APIBase string `json:"api_base,omitempty"`
}

var (
	accountSID = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	e164       = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// Driver is the Twilio channel's driver.
type Driver struct {
	// HTTP makes the REST calls (default: 30 s timeout, no redirects).
	HTTP *http.Client
}

var defaultHTTP = driverkit.NoRedirectClient(30 * time.Second)

// Type is "twilio".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected are the settings a twilio channel takes, for errors.
const expected = "account_sid, auth_token, from, api_base"

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"auth_token": &s.AuthToken}
}

// Setup checks the settings and seals the Auth Token.
func (Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.SetupSettings(Type, raw, seal, place, expected, (*Settings).secrets, (*Settings).check)
}

// Edit changes stored settings by those given (channel.Editor); an Auth
// Token left empty keeps its value.
func (Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, nil, (*Settings).check)
}

// Description is the administration's form of a twilio channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "SMS (Twilio)",
		Webhook: "Webhook URL to paste into Twilio's console: the number's Messaging Configuration, \"A message comes in\", HTTP POST",
		Fields: []channel.Field{
			{Name: "account_sid", Label: "Account SID", Kind: channel.FieldText, Required: true, Placeholder: "AC…", Help: "Twilio's console, Account Info: AC and 32 hex digits."},
			{Name: "auth_token", Label: "Auth Token", Kind: channel.FieldSecret, Required: true, Help: "Under the Account SID in Twilio's console; it also signs the webhooks."},
			{Name: "from", Label: "Twilio number", Kind: channel.FieldText, Required: true, Placeholder: "+15017122661", Help: "The number that texts the customers, in E.164."},
			{Name: "api_base", Label: "REST API base", Kind: channel.FieldURL, Placeholder: DefaultAPIBase, Help: "Leave empty for Twilio's; the simulator's URL to try the bot without Twilio."},
		},
	}
}

// check checks settings as given.
func (s *Settings) check() error {
	s.AccountSID, s.From = strings.TrimSpace(s.AccountSID), strings.TrimSpace(s.From)
	switch {
	case !accountSID.MatchString(s.AccountSID):
		return switchboard.Errorf(switchboard.EINVALID, "twilio.account_sid %q is not an Account SID (AC and 32 hex digits): copy it from the Account Info of Twilio's console", shorten(s.AccountSID))
	case strings.TrimSpace(s.AuthToken) == "":
		return switchboard.Errorf(switchboard.EINVALID, "twilio.auth_token is missing: the Auth Token shown under the Account SID in Twilio's console")
	case len(s.AuthToken) > 200 || strings.ContainsAny(s.AuthToken, " \t\r\n"):
		return switchboard.Errorf(switchboard.EINVALID, "twilio.auth_token is not an Auth Token (no spaces, at most 200 characters)")
	case !e164.MatchString(s.From):
		return switchboard.Errorf(switchboard.EINVALID, "twilio.from %q is not a phone number in E.164 (as +15017122661): the Twilio number that texts the customers", shorten(s.From))
	}
	var err error
	s.APIBase, err = channel.CheckAPIBase(Type, s.APIBase, DefaultAPIBase, true)
	return err
}

// shorten keeps an echoed setting short.
func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Public is what the administration shows: no secret.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	return map[string]any{"account_sid": s.AccountSID, "from": s.From, "api_base": s.APIBase}, nil
}

// Open opens the stored settings' Auth Token.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	if err := channel.OpenFields(seal, place, s.secrets()); err != nil {
		return nil, err
	}
	h := d.HTTP
	if h == nil {
		h = defaultHTTP
	}
	return &Conn{s: s, http: h}, nil
}

// Conn is one Twilio channel: its settings opened.
type Conn struct {
	s    Settings
	http *http.Client
	// statusCallback is the channel's webhook, where Twilio posts the
	// statuses of the messages sent ("" leaves it to the Messaging
	// Service's setting).
	statusCallback string
}

// SetWebhookURL names the webhook in each send's StatusCallback.
func (c *Conn) SetWebhookURL(u string) { c.statusCallback = u }
