package livechat

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// Platform names.
const (
	PlatformNone     = "none"
	PlatformDesk     = "desk"
	PlatformGorgias  = "gorgias"
	PlatformChatwoot = "chatwoot"
)

// What happens when an agent closes the ticket without signing off.
const (
	OnAgentCloseEnd    = "end"
	OnAgentCloseIgnore = "ignore"
)

// Defaults of the settings, as the behaviour contract states them.
const (
	DefaultTimeout           = 30 * time.Minute
	DefaultEndMessage        = "Is there anything else we can do for you? If not, you can end this conversation."
	DefaultEndButtonLabel    = "End the conversation"
	DefaultConnectingMessage = "Connecting you to an agent…"
	DefaultTranscriptLength  = 20
	DefaultOpenTimeout       = 2 * time.Minute
	MinTimeout               = time.Minute
	MaxTimeout               = 7 * 24 * time.Hour
	maxTranscriptLength      = 500
	maxTextSetting           = 2000
)

// Settings is the livechat configuration of one bot. The zero value means "all
// defaults"; pointer fields distinguish "not set" from an explicit empty value.
type Settings struct {
	Platform          string   `json:"platform,omitempty"`
	Timeout           Duration `json:"timeout,omitempty"`
	EndMessage        string   `json:"end_message,omitempty"`
	EndButtonLabel    string   `json:"end_button_label,omitempty"`
	ConnectingMessage *string  `json:"connecting_message,omitempty"`
	TranscriptLength  *int     `json:"transcript_length,omitempty"`
	CloseOnEnd        *bool    `json:"close_on_end,omitempty"`
	OnAgentClose      string   `json:"on_agent_close,omitempty"`
	// OpenTimeout bounds how long opening a ticket is retried while the
	// platform is down before the session ends with an error.
	OpenTimeout Duration `json:"open_timeout,omitempty"`

	// Token authenticates the platform's webhook calls for this bot. It is
	// made on first save and is part of the receive URL.
	Token string `json:"token,omitempty"`

	Gorgias  *GorgiasSettings  `json:"gorgias,omitempty"`
	Chatwoot *ChatwootSettings `json:"chatwoot,omitempty"`

	// Availability is when agents take conversations (hours.go); nil is
	// always.
	Availability *Availability `json:"availability,omitempty"`
	// CSAT is the satisfaction survey after a session (csat.go); nil is
	// none.
	CSAT *CSAT `json:"csat,omitempty"`
	// Queue tells waiting customers where they stand and bounds their wait.
	Queue *QueueSettings `json:"queue,omitempty"`
}

// GorgiasSettings are the REST API credentials of a Gorgias account.
type GorgiasSettings struct {
	// Domain is the account's subdomain ("acme") or its URL
	// ("https://acme.gorgias.com").
	Domain string `json:"domain"`
	// Username is the email of the user who made the API key.
	Username string `json:"username"`
	APIKey   string `json:"api_key,omitempty"`
}

// ChatwootSettings reach a Chatwoot instance. The account, the dedicated API
// inbox and its webhook secret are found or created when the settings are
// saved.
type ChatwootSettings struct {
	URL         string `json:"url"`
	AccessToken string `json:"access_token,omitempty"`
	AccountID   int    `json:"account_id,omitempty"`
	InboxID     int    `json:"inbox_id,omitempty"`
	// WebhookSecret signs Chatwoot's webhook calls (X-Chatwoot-Signature).
	WebhookSecret string `json:"webhook_secret,omitempty"`
	// Signature is how webhook signatures are checked: required, present
	// (checked when sent; the default) or off.
	Signature string `json:"signature,omitempty"`
	// RelayBots also relays what agent bots, automations and templates
	// (surveys, greetings) send; by default only human agents' public
	// messages reach the user.
	RelayBots bool `json:"relay_bots,omitempty"`
}

// secrets returns the settings' secret fields by name, for sealing at rest
// and masking in answers.
func (s *Settings) secrets() map[string]*string {
	out := map[string]*string{"token": &s.Token}
	if s.Gorgias != nil {
		out["gorgias.api_key"] = &s.Gorgias.APIKey
	}
	if s.Chatwoot != nil {
		out["chatwoot.access_token"] = &s.Chatwoot.AccessToken
		out["chatwoot.webhook_secret"] = &s.Chatwoot.WebhookSecret
	}
	return out
}

// Masked returns a copy whose secrets are replaced by a mask showing only
// whether they are set, for answers and pages: secrets are never shown back.
func (s Settings) Masked() Settings {
	s = s.clone()
	for _, p := range s.secrets() {
		if *p != "" {
			*p = Mask
		}
	}
	// Versions that took credentials in a URL stored them in clear.
	if s.Gorgias != nil {
		s.Gorgias.Domain = maskUserInfo(s.Gorgias.Domain)
	}
	if s.Chatwoot != nil {
		s.Chatwoot.URL = maskUserInfo(s.Chatwoot.URL)
	}
	return s
}

// cutUserInfo splits a URL or a host ("https://user:pass@host/x",
// "user@host") around the user information of its authority: what comes
// before it and what comes after, and whether it has one. An @ later in
// the path or the query is not one.
func cutUserInfo(raw string) (before, after string, found bool) {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	authority := raw[start:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw, "", false
	}
	return raw[:start], raw[start+at+1:], true
}

// maskUserInfo replaces the user information of a URL with Mask.
func maskUserInfo(raw string) string {
	if before, after, ok := cutUserInfo(raw); ok {
		return before + Mask + "@" + after
	}
	return raw
}

// Mask replaces a secret that is set, in answers.
const Mask = "••••••••"

// clone copies the settings and what their pointers point to.
func (s Settings) clone() Settings {
	if s.Gorgias != nil {
		g := *s.Gorgias
		s.Gorgias = &g
	}
	if s.Chatwoot != nil {
		c := *s.Chatwoot
		s.Chatwoot = &c
	}
	if s.Availability != nil {
		a := *s.Availability
		s.Availability = &a
	}
	if s.CSAT != nil {
		c := *s.CSAT
		s.CSAT = &c
	}
	return s
}

// SettingName is the SettingStore document that holds a bot's settings.
func SettingName(botID string) string { return switchboard.LivechatSettingName(botID) }

// Resolved is Settings with every default applied.
type Resolved struct {
	Platform          string
	Timeout           time.Duration
	EndMessage        string
	EndButtonLabel    string
	ConnectingMessage string
	TranscriptLength  int
	CloseOnEnd        bool
	OnAgentClose      string
	OpenTimeout       time.Duration
	Token             string
	Gorgias           *GorgiasSettings
	Chatwoot          *ChatwootSettings
	Availability      *Availability
	CSAT              *CSAT
	Queue             QueueSettings
}

// Resolve applies the defaults.
func (s Settings) Resolve() Resolved {
	r := Resolved{
		Platform:          s.Platform,
		Timeout:           time.Duration(s.Timeout),
		EndMessage:        s.EndMessage,
		EndButtonLabel:    s.EndButtonLabel,
		ConnectingMessage: DefaultConnectingMessage,
		TranscriptLength:  DefaultTranscriptLength,
		CloseOnEnd:        true,
		OnAgentClose:      s.OnAgentClose,
		OpenTimeout:       time.Duration(s.OpenTimeout),
		Token:             s.Token,
		Gorgias:           s.Gorgias,
		Chatwoot:          s.Chatwoot,
		Availability:      s.Availability,
		CSAT:              s.CSAT,
		Queue:             s.Queue.resolve(),
	}
	if r.Platform == "" {
		r.Platform = PlatformDesk
	}
	if r.Timeout <= 0 {
		r.Timeout = DefaultTimeout
	}
	if r.EndMessage == "" {
		r.EndMessage = DefaultEndMessage
	}
	if r.EndButtonLabel == "" {
		r.EndButtonLabel = DefaultEndButtonLabel
	}
	if s.ConnectingMessage != nil {
		r.ConnectingMessage = *s.ConnectingMessage
	}
	if s.TranscriptLength != nil {
		r.TranscriptLength = *s.TranscriptLength
	}
	if s.CloseOnEnd != nil {
		r.CloseOnEnd = *s.CloseOnEnd
	}
	if r.OnAgentClose == "" {
		r.OnAgentClose = OnAgentCloseEnd
	}
	if r.OpenTimeout <= 0 {
		r.OpenTimeout = DefaultOpenTimeout
	}
	return r
}

// Validate checks settings that a user typed, naming the field at fault.
func (s Settings) Validate() error {
	switch s.Platform {
	case "", PlatformNone, PlatformDesk, PlatformGorgias, PlatformChatwoot:
	default:
		return switchboard.Errorf(switchboard.EINVALID, "livechat platform %q is unknown: use none, desk, gorgias or chatwoot", s.Platform)
	}
	if t := time.Duration(s.Timeout); t != 0 && (t < MinTimeout || t > MaxTimeout) {
		return switchboard.Errorf(switchboard.EINVALID, "livechat timeout %s is out of range: use 1m to 168h (7 days)", t)
	}
	if s.TranscriptLength != nil && (*s.TranscriptLength < 0 || *s.TranscriptLength > maxTranscriptLength) {
		return switchboard.Errorf(switchboard.EINVALID, "livechat transcript_length %d is out of range: use 0 (none) to %d", *s.TranscriptLength, maxTranscriptLength)
	}
	switch s.OnAgentClose {
	case "", OnAgentCloseEnd, OnAgentCloseIgnore:
	default:
		return switchboard.Errorf(switchboard.EINVALID, "livechat on_agent_close %q is unknown: use end or ignore", s.OnAgentClose)
	}
	if err := s.Queue.validate(); err != nil {
		return err
	}
	texts := map[string]string{"end_message": s.EndMessage, "end_button_label": s.EndButtonLabel}
	if s.ConnectingMessage != nil {
		texts["connecting_message"] = *s.ConnectingMessage
	}
	for field, v := range texts {
		if len(v) > maxTextSetting {
			return switchboard.Errorf(switchboard.EINVALID, "livechat %s is %d bytes long: keep it under %d", field, len(v), maxTextSetting)
		}
	}
	if s.Availability != nil {
		if err := s.Availability.validate(); err != nil {
			return err
		}
	}
	if s.CSAT != nil {
		if err := s.CSAT.validate(); err != nil {
			return err
		}
	}
	switch {
	case s.Platform == PlatformGorgias && s.Gorgias == nil:
		return switchboard.Errorf(switchboard.EINVALID, "livechat platform gorgias needs the gorgias settings: domain, username and api_key")
	case s.Platform == PlatformChatwoot && s.Chatwoot == nil:
		return switchboard.Errorf(switchboard.EINVALID, "livechat platform chatwoot needs the chatwoot settings: url and access_token")
	}
	if g := s.Gorgias; g != nil && s.Platform == PlatformGorgias {
		for field, v := range map[string]string{"domain": g.Domain, "username": g.Username, "api_key": g.APIKey} {
			if strings.TrimSpace(v) == "" {
				return switchboard.Errorf(switchboard.EINVALID, "livechat gorgias.%s is empty", field)
			}
		}
		if _, _, ok := cutUserInfo(g.Domain); ok {
			return switchboard.Errorf(switchboard.EINVALID, "livechat gorgias.domain carries a user name or password (before an @): leave them out; gorgias.username and gorgias.api_key hold the credentials, sealed")
		}
	}
	if c := s.Chatwoot; c != nil && s.Platform == PlatformChatwoot {
		if !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
			return switchboard.Errorf(switchboard.EINVALID, "livechat chatwoot.url %q must start with https:// (for example https://app.chatwoot.com)", c.URL)
		}
		if _, _, ok := cutUserInfo(c.URL); ok {
			return switchboard.Errorf(switchboard.EINVALID, "livechat chatwoot.url carries a user name or password (before an @): leave them out; chatwoot.access_token holds the credential, sealed")
		}
		if strings.TrimSpace(c.AccessToken) == "" {
			return switchboard.Errorf(switchboard.EINVALID, "livechat chatwoot.access_token is empty: copy it from your Chatwoot profile settings")
		}
		switch c.Signature {
		case "", "required", "present", "off":
		default:
			return switchboard.Errorf(switchboard.EINVALID, "livechat chatwoot.signature %q is unknown: use required, present or off", c.Signature)
		}
	}
	return nil
}

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string ("30m", "2h") and also reads a number of seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "30m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads "30m" or 1800.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("duration: %w", err)
		}
		v, err := time.ParseDuration(str)
		if err != nil {
			return fmt.Errorf("duration %q: use a number and a unit such as 30m, 2h or 90s", str)
		}
		*d = Duration(v)
		return nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("duration %s: use a string such as \"30m\" or a number of seconds", s)
	}
	*d = Duration(time.Duration(secs * float64(time.Second)))
	return nil
}
