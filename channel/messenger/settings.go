package messenger

import (
	"encoding/json"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/meta"
)

// The channel types.
const (
	Type          switchboard.ChannelType = "messenger"
	TypeInstagram switchboard.ChannelType = "instagram"
)

// DefaultAPIBase is Meta's Graph API with the version the channel was
// written against; the version changes often, so it is a setting.
const DefaultAPIBase = "https://graph.facebook.com/v21.0"

// The app ids of Meta's inboxes, for the Handover Protocol.
const (
	PageInboxAppID      = "263902037430900"
	InstagramInboxAppID = "1217981644879628"
)

// variant is what differs between Messenger and Instagram.
type variant struct {
	typ switchboard.ChannelType
	// object is the webhook's object; idField names the account's id in
	// the settings, which is entry[].id and the recipient of user events.
	object, idField, idHelp string
	// userField names the user's id in the client's metadata.
	userField string
	// maxText bounds a text, in characters (Messenger) or UTF-8 bytes
	// (Instagram).
	maxText   int
	textBytes bool
	// buttonTemplate says whether buttons become a button template
	// (Messenger) or quick replies (Instagram, whose support of button
	// templates depends on the API's flavour).
	buttonTemplate bool
	inboxAppID     string
}

var (
	messengerVariant = &variant{typ: Type, object: "page", idField: "page_id", idHelp: "the Facebook Page's id, from the Page's About or Meta Business Suite",
		userField: "messenger_id", maxText: 2000, buttonTemplate: true, inboxAppID: PageInboxAppID}
	instagramVariant = &variant{typ: TypeInstagram, object: "instagram", idField: "instagram_id", idHelp: "the Instagram professional account's id (IGID), from Meta Business Suite",
		userField: "instagram_id", maxText: 1000, textBytes: true, inboxAppID: InstagramInboxAppID}
)

// Settings are a channel's, as POST /v1/admin/channels takes them under
// "messenger" or "instagram".
type Settings struct {
	// PageID is a Messenger channel's Page id; InstagramID an Instagram
	// channel's account id.
	PageID      string `json:"page_id,omitempty"`
	InstagramID string `json:"instagram_id,omitempty"`
	// PageAccessToken is the Page's token the Send API takes (Bearer); an
	// Instagram account uses the token of its linked Page.
	PageAccessToken string `json:"page_access_token"`
	// AppSecret is the Meta app's secret, the key of X-Hub-Signature-256.
	AppSecret string `json:"app_secret"`
	// VerifyToken is the string typed into Meta's dashboard, sent back in
	// the GET handshake.
	VerifyToken string `json:"verify_token"`
	// APIBase is the Graph API's base URL with its version (default
	// DefaultAPIBase); the simulator's URL in tests.
	APIBase string `json:"api_base,omitempty"`
	// HumanAgentTag says the app is approved for Meta's Human Agent
	// feature: an agent's reply 24 hours to 7 days after the user's last
	// message is sent with the HUMAN_AGENT tag.
	HumanAgentTag bool `json:"human_agent_tag,omitempty"`
	// Handover says the page also answers from Meta's inbox: a livechat
	// session takes the thread (Handover Protocol) and releases it at its
	// end.
	Handover bool `json:"handover,omitempty"`
}

// account is the id of the page or Instagram account.
func (s *Settings) account(v *variant) *string {
	if v.textBytes {
		return &s.InstagramID
	}
	return &s.PageID
}

// secrets are the settings kept sealed, by field name.
func (s *Settings) secrets() map[string]*string {
	return map[string]*string{"page_access_token": &s.PageAccessToken, "app_secret": &s.AppSecret, "verify_token": &s.VerifyToken}
}

// Driver is the driver of Messenger channels, or with Instagram set of
// Instagram channels.
type Driver struct {
	Instagram bool
	// Client makes the Graph API calls (default: one with a 30 s timeout).
	Client *Client
}

func (d Driver) variant() *variant {
	if d.Instagram {
		return instagramVariant
	}
	return messengerVariant
}

// Type is "messenger" or "instagram".
func (d Driver) Type() switchboard.ChannelType { return d.variant().typ }

// Setup checks the settings and seals their secrets.
func (d Driver) Setup(raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	v := d.variant()
	return channel.SetupSettings(v.typ, raw, seal, place, v.expected(), (*Settings).secrets, func(s *Settings) error { return s.check(v) })
}

// expected are the settings the variant's channels take, for errors.
func (v *variant) expected() string {
	return v.idField + ", page_access_token, app_secret, verify_token, api_base, human_agent_tag, handover"
}

// Edit changes stored settings by those given (channel.Editor); a secret
// left empty keeps its value.
func (d Driver) Edit(stored, raw json.RawMessage, seal channel.Sealer, place string) (json.RawMessage, error) {
	v := d.variant()
	return channel.EditSettings(v.typ, stored, raw, seal, place, v.expected(), (*Settings).secrets, nil, func(s *Settings) error { return s.check(v) })
}

// Description is the administration's form of a messenger or instagram
// channel.
func (d Driver) Description() channel.Description {
	name, idLabel, webhook := "Facebook Messenger", "Page ID", "Callback URL to paste into the Meta app's Webhooks (object Page, field messages), with the verify token"
	if d.Instagram {
		name, idLabel, webhook = "Instagram", "Instagram account ID", "Callback URL to paste into the Meta app's Webhooks (object Instagram, field messages), with the verify token"
	}
	v := d.variant()
	return channel.Description{
		Name:    name,
		Webhook: webhook,
		Fields: []channel.Field{
			{Name: v.idField, Label: idLabel, Kind: channel.FieldText, Required: true, Help: strings.ToUpper(v.idHelp[:1]) + v.idHelp[1:] + "."},
			{Name: "page_access_token", Label: "Page access token", Kind: channel.FieldSecret, Required: true, Help: "The Page's token with pages_messaging (an Instagram account uses its linked Page's)."},
			{Name: "app_secret", Label: "App secret", Kind: channel.FieldSecret, Required: true, Help: "App settings > Basic: the key of the webhook signatures."},
			{Name: "verify_token", Label: "Verify token", Kind: channel.FieldSecret, Required: true, Help: "Any string; type the same into the webhook's Verify token in Meta's dashboard."},
			{Name: "api_base", Label: "Graph API base", Kind: channel.FieldURL, Placeholder: DefaultAPIBase, Help: "Leave empty for Meta's; the simulator's URL to try the bot without Meta."},
			{Name: "human_agent_tag", Label: "Human Agent tag approved", Kind: channel.FieldBool, Help: "Agents may answer up to 7 days after the user's last message (Meta's Human Agent feature)."},
			{Name: "handover", Label: "Handover Protocol", Kind: channel.FieldBool, Help: "The Page also answers from Meta's inbox: a livechat session takes the thread and releases it at its end."},
		},
	}
}

// check checks settings as given.
func (s *Settings) check(v *variant) error {
	other := map[bool]string{true: "page_id", false: "instagram_id"}[v.textBytes]
	if (v.textBytes && s.PageID != "") || (!v.textBytes && s.InstagramID != "") {
		return switchboard.Errorf(switchboard.EINVALID, "%s.%s is not a setting of the %s type: give %s", v.typ, other, v.typ, v.idField)
	}
	s.APIBase = strings.TrimRight(strings.TrimSpace(s.APIBase), "/")
	if s.APIBase == "" {
		s.APIBase = DefaultAPIBase
	}
	for _, f := range []struct{ name, v, what string }{
		{v.idField, *s.account(v), v.idHelp},
		{"page_access_token", s.PageAccessToken, "a Page access token with pages_messaging (Instagram: and instagram_manage_messages)"},
		{"app_secret", s.AppSecret, "the app's secret, from App settings > Basic"},
		{"verify_token", s.VerifyToken, "any string; type the same into the webhook's Verify token in Meta's dashboard"},
	} {
		if strings.TrimSpace(f.v) == "" {
			return switchboard.Errorf(switchboard.EINVALID, "%s.%s is missing: %s", v.typ, f.name, f.what)
		}
		if err := switchboard.CheckText(string(v.typ)+"."+f.name, f.v, 1000); err != nil {
			return err
		}
	}
	if err := switchboard.CheckChannelID(string(v.typ)+"."+v.idField, *s.account(v)); err != nil {
		return err
	}
	u, err := url.Parse(s.APIBase)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return switchboard.Errorf(switchboard.EINVALID, "%s.api_base %q is not an http(s) URL without credentials or query: leave it out for %s", v.typ, s.APIBase, DefaultAPIBase)
	}
	return nil
}

// Public is what the administration shows: no secret.
func (d Driver) Public(stored json.RawMessage) (map[string]any, error) {
	v := d.variant()
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	return map[string]any{v.idField: *s.account(v), "api_base": s.APIBase, "human_agent_tag": s.HumanAgentTag, "handover": s.Handover}, nil
}

// Open opens the stored settings' secrets. A channel with the handover
// setting controls threads (channel.ThreadControl); one with the
// human_agent_tag setting answers late as a person (channel.AgentWindow).
func (d Driver) Open(stored json.RawMessage, seal channel.Sealer, place string) (channel.Conn, error) {
	var s Settings
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, err
	}
	if err := channel.OpenFields(seal, place, s.secrets()); err != nil {
		return nil, err
	}
	client := d.Client
	if client == nil {
		client = meta.DefaultClient
	}
	c := &Conn{s: s, v: d.variant(), c: client}
	if s.Handover {
		return &sharedConn{c}, nil
	}
	return c, nil
}
