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

// Setup checks the settings and seals their secrets.
func (d Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	var s Settings
	return s.apply(raw, nil, seal, place)
}

// Edit changes stored settings by those given; a secret left out or empty
// keeps its stored value, and a setting left out is kept too.
func (d Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	s, err := open(stored, seal, place)
	if err != nil {
		return nil, err
	}
	kept := map[string]string{}
	for name, v := range s.secrets() {
		kept[name], *v = *v, ""
	}
	return s.apply(raw, kept, seal, place)
}

// apply reads raw over s, checks the result and seals its secrets; a
// secret raw leaves empty takes its value in kept.
func (s *Settings) apply(raw json.RawMessage, kept map[string]string, seal channel.Sealer, place string) (json.RawMessage, error) {
	if err := channel.DecodeSettings(Type, raw, s, "phone_number_id, access_token, app_secret, verify_token, api_base, template"); err != nil {
		return nil, err
	}
	for name, v := range s.secrets() {
		if *v == "" {
			*v = kept[name]
		}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	channel.SealFields(seal, place, s.secrets())
	return json.Marshal(s)
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
