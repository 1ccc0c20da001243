package teams

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"switchboard"
	"switchboard/channel"
)

// Type is the channel type.
const Type switchboard.ChannelType = "teams"

// The Bot Framework's public-cloud endpoints (shared/spec/channels.md §6).
const (
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	// DefaultTokenURL is the multi-tenant bots' token endpoint; a
	// single-tenant bot's is tokenURLOf(tenant).
	DefaultTokenURL = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
	// Issuer is the iss of the tokens the Bot Connector signs.
	Issuer = "https://api.botframework.com"
	// Scope is what the bot's token is asked for.
	Scope = "https://api.botframework.com/.default"
)

// Settings are a Teams channel's, as POST /v1/admin/channels takes them
// under "teams".
type Settings struct {
	// AppID is the bot's Microsoft App ID: the audience of the tokens the
	// Bot Connector signs, and the client id of the bot's own token.
	AppID string `json:"app_id"`
	// AppPassword is the app registration's client secret (kept sealed).
	AppPassword string `json:"app_password"`
	// TenantID is a single-tenant bot's tenant: its token comes from that
	// tenant's endpoint. Empty for a multi-tenant bot.
	TenantID string `json:"tenant_id,omitempty"`
	// OpenIDMetadataURL is where the Bot Connector's signing keys are
	// found (default DefaultOpenIDMetadataURL); the simulator's in tests.
	OpenIDMetadataURL string `json:"openid_metadata_url,omitempty"`
	// TokenURL is the client-credentials token endpoint (default
	// DefaultTokenURL, or the tenant's); the simulator's in tests.
	TokenURL string `json:"token_url,omitempty"`
}

// guidShape is an Entra id: an App ID or a tenant id.
var guidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"app_password": &s.AppPassword}
}

// tokenURLOf is a single-tenant bot's token endpoint.
func tokenURLOf(tenant string) string {
	return "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token"
}

// Driver is the Teams channel's driver.
type Driver struct {
	// Client fetches keys and tokens and makes the Bot Connector's calls
	// (default: one shared by every channel, with a 30 s timeout).
	Client *Client
}

// Type is "teams".
func (Driver) Type() switchboard.ChannelType { return Type }

// expected names the settings in errors.
const expected = "app_id, app_password and, for a single-tenant bot, tenant_id (openid_metadata_url and token_url only for a simulator)"

// Setup checks the settings and seals the password.
func (Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.SetupSettings(Type, raw, seal, place, expected, (*Settings).secrets, (*Settings).check)
}

// Edit changes settings: what raw leaves out keeps its stored value,
// app_password too.
func (Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	return channel.EditSettings(Type, stored, raw, seal, place, expected, (*Settings).secrets, nil, (*Settings).check)
}

// Description is the administration's form of a Teams channel.
func (Driver) Description() channel.Description {
	return channel.Description{
		Name:    "Microsoft Teams",
		Webhook: "Messaging endpoint: paste it in the Azure Bot's Configuration",
		Fields: []channel.Field{
			{Name: "app_id", Label: "Microsoft App ID", Kind: channel.FieldText, Required: true, Placeholder: "00000000-0000-0000-0000-000000000000", Help: "Azure Bot → Configuration → Microsoft App ID."},
			{Name: "app_password", Label: "Client secret", Kind: channel.FieldSecret, Required: true, Help: "A client secret of the bot's app registration (Certificates & secrets)."},
			{Name: "tenant_id", Label: "Tenant ID", Kind: channel.FieldText, Placeholder: "00000000-0000-0000-0000-000000000000", Help: "Only for a single-tenant bot; leave empty for a multi-tenant one."},
			{Name: "openid_metadata_url", Label: "OpenID metadata URL", Kind: channel.FieldURL, Placeholder: DefaultOpenIDMetadataURL, Help: "Leave empty for the Bot Framework's; the simulator's URL to try the bot offline."},
			{Name: "token_url", Label: "Token URL", Kind: channel.FieldURL, Placeholder: DefaultTokenURL, Help: "Leave empty for the Bot Framework's (or the tenant's); the simulator's URL to try the bot offline."},
		},
	}
}

// check checks settings as given, filling in the defaults.
func (s *Settings) check() error {
	s.AppID = strings.TrimSpace(s.AppID)
	s.TenantID = strings.TrimSpace(s.TenantID)
	if s.AppID == "" {
		return switchboard.Errorf(switchboard.EINVALID, "teams.app_id is missing: the bot's Microsoft App ID (Azure Bot → Configuration)")
	}
	if !guidShape.MatchString(s.AppID) {
		return switchboard.Errorf(switchboard.EINVALID, "teams.app_id %q is not a Microsoft App ID: expected a GUID as 00000000-0000-0000-0000-000000000000", s.AppID)
	}
	if s.AppPassword == "" {
		return switchboard.Errorf(switchboard.EINVALID, "teams.app_password is missing: a client secret of the bot's app registration (Certificates & secrets)")
	}
	if s.TenantID != "" && !guidShape.MatchString(s.TenantID) {
		return switchboard.Errorf(switchboard.EINVALID, "teams.tenant_id %q is not a tenant id: expected a GUID, or leave it out for a multi-tenant bot", s.TenantID)
	}
	if s.OpenIDMetadataURL == "" {
		s.OpenIDMetadataURL = DefaultOpenIDMetadataURL
	}
	if s.TokenURL == "" {
		s.TokenURL = DefaultTokenURL
		if s.TenantID != "" {
			s.TokenURL = tokenURLOf(s.TenantID)
		}
	}
	for name, v := range map[string]*string{"openid_metadata_url": &s.OpenIDMetadataURL, "token_url": &s.TokenURL} {
		*v = strings.TrimSpace(*v)
		if _, err := plainURL(*v); err != nil {
			return switchboard.Errorf(switchboard.EINVALID, "teams.%s %q is not an http(s) URL without credentials or fragment: leave it out for the Bot Framework's", name, *v)
		}
	}
	return nil
}

// plainURL parses an http(s) URL with a host and no credentials or
// fragment.
func plainURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, switchboard.Errorf(switchboard.EINVALID, "%q is not an http(s) URL", s)
	}
	return u, nil
}

// Public is what the administration shows: the App ID, tenant and
// endpoints, never the password.
func (Driver) Public(stored json.RawMessage) (map[string]any, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	out := map[string]any{"app_id": s.AppID, "openid_metadata_url": s.OpenIDMetadataURL, "token_url": s.TokenURL}
	if s.TenantID != "" {
		out["tenant_id"] = s.TenantID
	}
	return out, nil
}

// open reads stored settings with their secrets opened.
func open(stored json.RawMessage, seal channel.Sealer, place string) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return s, fmt.Errorf("teams: read the stored settings: %w", err)
	}
	return s, channel.OpenFields(seal, place, s.secrets())
}

// Open opens the stored settings' secrets.
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	s, err := open(stored, seal, place)
	if err != nil {
		return nil, err
	}
	c := d.Client
	if c == nil {
		c = defaultClient
	}
	return &Conn{s: s, c: c}, nil
}
