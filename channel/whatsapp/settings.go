package whatsapp

import (
	"encoding/json"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/meta"
)

// Type is the channel type.
const Type switchboard.ChannelType = "whatsapp"

// DefaultAPIBase is Meta's Graph API with the version the channel was
// written against; the version changes often, so it is a setting.
const DefaultAPIBase = "https://graph.facebook.com/v21.0"

// Settings are a WhatsApp channel's, as POST /v1/admin/channels takes them
// under "whatsapp".
type Settings struct {
	// PhoneNumberID is the business number's id (not the number itself).
	PhoneNumberID string `json:"phone_number_id"`
	// AccessToken is the system user's token the Graph API takes (Bearer).
	AccessToken string `json:"access_token"`
	// AppSecret is the Meta app's secret, the key of X-Hub-Signature-256.
	AppSecret string `json:"app_secret"`
	// VerifyToken is the string typed into Meta's dashboard, sent back in
	// the GET handshake.
	VerifyToken string `json:"verify_token"`
	// APIBase is the Graph API's base URL with its version (default
	// DefaultAPIBase); the simulator's URL in tests.
	APIBase string `json:"api_base,omitempty"`
	// Template, when set, is sent to a user whose 24-hour window closed
	// when an agent (or the bot) writes to them: an approved template that
	// invites them to write again.
	Template *Template `json:"template,omitempty"`
}

// Template names an approved message template.
type Template struct {
	Name     string `json:"name"`
	Language string `json:"language"`
}

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"access_token": &s.AccessToken, "app_secret": &s.AppSecret, "verify_token": &s.VerifyToken}
}

// Driver is the WhatsApp channel's driver.
type Driver struct {
	// Client makes the Graph API calls (default: one with a 30 s timeout).
	Client *Client
}

// Type is "whatsapp".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected are the settings a whatsapp channel takes, for errors.
const expected = "phone_number_id, access_token, app_secret, verify_token, api_base, template"

// Setup checks the settings and seals their secrets.
func (d Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.SetupSettings(Type, raw, seal, place, expected, (*Settings).secrets, (*Settings).check)
}

// Edit changes stored settings by those given; a secret left out or empty
// keeps its stored value, and a setting left out is kept too.
func (d Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, nil, (*Settings).check)
}

// Description is the administration's form of a whatsapp channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "WhatsApp (Cloud API)",
		Webhook: "Callback URL to paste into Meta's dashboard (WhatsApp > Configuration), with the verify token",
		Fields: []channel.Field{
			{Name: "phone_number_id", Label: "Phone number ID", Kind: channel.FieldText, Required: true, Help: "WhatsApp > API Setup: the number's id, not the number."},
			{Name: "access_token", Label: "Access token", Kind: channel.FieldSecret, Required: true, Help: "A system user's token with whatsapp_business_messaging."},
			{Name: "app_secret", Label: "App secret", Kind: channel.FieldSecret, Required: true, Help: "App settings > Basic: the key of the webhook signatures."},
			{Name: "verify_token", Label: "Verify token", Kind: channel.FieldSecret, Required: true, Help: "Any string; type the same into the webhook's Verify token in Meta's dashboard."},
			{Name: "api_base", Label: "Graph API base", Kind: channel.FieldURL, Placeholder: DefaultAPIBase, Help: "Leave empty for Meta's; the simulator's URL to try the bot without Meta."},
			{Name: "name", Object: "template", Label: "Template name (optional)", Kind: channel.FieldText, Placeholder: "hello_world", Help: "An approved template that re-opens a conversation after 24 hours."},
			{Name: "language", Object: "template", Label: "Template language", Kind: channel.FieldText, Placeholder: "en_US"},
		},
	}
}

// check checks settings as given.
func (s *Settings) check() error {
	s.APIBase = strings.TrimRight(strings.TrimSpace(s.APIBase), "/")
	if s.APIBase == "" {
		s.APIBase = DefaultAPIBase
	}
	for _, f := range []struct{ name, v, what string }{
		{"phone_number_id", s.PhoneNumberID, "the business number's id, from WhatsApp > API Setup in Meta's app dashboard"},
		{"access_token", s.AccessToken, "a system user's access token with whatsapp_business_messaging"},
		{"app_secret", s.AppSecret, "the app's secret, from App settings > Basic"},
		{"verify_token", s.VerifyToken, "any string; type the same into the webhook's Verify token in Meta's dashboard"},
	} {
		if strings.TrimSpace(f.v) == "" {
			return switchboard.Errorf(switchboard.EINVALID, "whatsapp.%s is missing: %s", f.name, f.what)
		}
		if err := switchboard.CheckText("whatsapp."+f.name, f.v, 1000); err != nil {
			return err
		}
	}
	if err := switchboard.CheckChannelID("whatsapp.phone_number_id", s.PhoneNumberID); err != nil {
		return err
	}
	u, err := url.Parse(s.APIBase)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return switchboard.Errorf(switchboard.EINVALID, "whatsapp.api_base %q is not an http(s) URL without credentials or query: leave it out for %s", s.APIBase, DefaultAPIBase)
	}
	if t := s.Template; t != nil {
		t.Name, t.Language = strings.TrimSpace(t.Name), strings.TrimSpace(t.Language)
		if t.Name == "" || t.Language == "" {
			return switchboard.Errorf(switchboard.EINVALID, "whatsapp.template needs a name and a language (as en_US): an approved template of the WhatsApp Business Account")
		}
		if err := switchboard.CheckName("whatsapp.template.name", t.Name, 512); err != nil {
			return err
		}
		if err := switchboard.CheckName("whatsapp.template.language", t.Language, 20); err != nil {
			return err
		}
	}
	return nil
}

// Public is what the administration shows: no secret.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	out := map[string]any{"phone_number_id": s.PhoneNumberID, "api_base": s.APIBase}
	if s.Template != nil {
		out["template"] = s.Template
	}
	return out, nil
}

// Open opens the stored settings' secrets.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	s, err := open(stored, seal, place)
	if err != nil {
		return nil, err
	}
	client := d.Client
	if client == nil {
		client = meta.DefaultClient
	}
	return &Conn{s: s, c: client}, nil
}

// open reads stored settings with their secrets opened.
func open(stored json.RawMessage, seal channel.Sealer, place string) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return s, err
	}
	err := channel.OpenFields(seal, place, s.secrets())
	return s, err
}
