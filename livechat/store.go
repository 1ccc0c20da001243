package livechat

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"switchboard"
)

// Sealer encrypts secrets at rest; secrets.Keyring is one. place binds a
// sealed value to where it is stored.
type Sealer interface {
	Seal(plain []byte, place string) string
	Open(sealed, place string) ([]byte, error)
}

// sealedPrefix marks a sealed value (see package secrets).
const sealedPrefix = "sb1:"

// LoadSettings reads a bot's settings and opens their secrets. Settings never
// saved are the zero value (all defaults).
func LoadSettings(ctx context.Context, tx switchboard.Tx, sealer Sealer, botID string) (Settings, error) {
	var s Settings
	raw, err := tx.Setting(ctx, SettingName(botID))
	if err != nil {
		return s, fmt.Errorf("load livechat settings: %w", err)
	}
	if raw == nil {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("decode livechat settings of bot %s: %w", botID, err)
	}
	for name, p := range s.secrets() {
		if !strings.HasPrefix(*p, sealedPrefix) {
			continue // written by hand (tests, a restored file): taken as is
		}
		if sealer == nil {
			return s, fmt.Errorf("livechat settings of bot %s hold sealed secrets and no key is configured", botID)
		}
		plain, err := sealer.Open(*p, secretPlace(botID, name))
		if err != nil {
			return s, fmt.Errorf("livechat settings of bot %s: %w", botID, err)
		}
		*p = string(plain)
	}
	return s, nil
}

// SaveSettings seals the secrets and stores the settings, making the webhook
// token if the bot has none yet.
func SaveSettings(ctx context.Context, tx switchboard.Tx, sealer Sealer, botID string, s Settings) error {
	if sealer == nil {
		return fmt.Errorf("save livechat settings: no key to seal secrets with")
	}
	s = s.clone()
	if s.Token == "" {
		s.Token = NewToken()
	}
	for name, p := range s.secrets() {
		if *p != "" {
			*p = sealer.Seal([]byte(*p), secretPlace(botID, name))
		}
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode livechat settings: %w", err)
	}
	if err := tx.PutSetting(ctx, SettingName(botID), raw); err != nil {
		return fmt.Errorf("save livechat settings: %w", err)
	}
	return nil
}

// NewToken returns a random, URL-safe webhook token.
func NewToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func secretPlace(botID, field string) string { return "livechat:" + botID + ":" + field }

// keepMaskedSecrets replaces every secret of s still equal to Mask (a page
// sends back what it was shown) or left empty by the value stored before.
func keepMaskedSecrets(s *Settings, stored Settings) {
	if s.Gorgias != nil && stored.Gorgias == nil {
		stored.Gorgias = &GorgiasSettings{}
	}
	if s.Chatwoot != nil && stored.Chatwoot == nil {
		stored.Chatwoot = &ChatwootSettings{}
	}
	old := stored.secrets()
	for name, p := range s.secrets() {
		if o, ok := old[name]; ok && (*p == Mask || *p == "") {
			*p = *o
		}
	}
}

// keepFound keeps what a save found on the platform (the Chatwoot account
// and inbox) when settings for the same instance come back without it, as
// a settings page or a configuration file sends them: the check then finds
// the same inbox again, even if someone pointed its webhook elsewhere.
func keepFound(s *Settings, stored Settings) {
	c, old := s.Chatwoot, stored.Chatwoot
	if c == nil || old == nil || c.AccountID != 0 || c.InboxID != 0 ||
		!strings.EqualFold(strings.TrimRight(strings.TrimSpace(c.URL), "/"), strings.TrimRight(old.URL, "/")) {
		return
	}
	c.AccountID, c.InboxID = old.AccountID, old.InboxID
}
