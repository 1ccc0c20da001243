package livechat

import (
	"context"
	"fmt"

	"switchboard"
)

// Checker is implemented by providers that can verify settings against their
// platform when they are saved, and complete them (Chatwoot finds the account
// and makes the inbox).
type Checker interface {
	Check(ctx context.Context, r CheckRequest) (Settings, error)
}

// CheckRequest is what a provider needs to verify settings.
type CheckRequest struct {
	BotID    string
	Settings Settings
	// PublicURL is where the platform reaches switchboard (receive URLs).
	PublicURL string
}

// Configurer saves livechat settings the one way they are saved, whoever
// saves them (configuration file, command line, admin API).
type Configurer struct {
	Store     switchboard.Store
	Sealer    Sealer
	Providers map[string]Provider
	PublicURL string
}

// Configure validates settings, keeps the stored secrets that came back
// masked or empty, checks the credentials against the platform, and stores
// the result with its secrets sealed. It returns the stored settings, masked.
func (c Configurer) Configure(ctx context.Context, botID string, s Settings) (Settings, error) {
	var stored Settings
	err := c.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		stored, err = LoadSettings(ctx, tx, c.Sealer, botID)
		return err
	})
	if err != nil {
		return Settings{}, err
	}
	s = s.clone()
	keepMaskedSecrets(&s, stored)
	keepFound(&s, stored)
	if s.Token == "" {
		s.Token = stored.Token
	}
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	platform := s.Resolve().Platform
	if platform != PlatformNone {
		p, ok := c.Providers[platform]
		if !ok {
			return Settings{}, switchboard.Errorf(switchboard.EINVALID, "livechat platform %s is not available on this server", platform)
		}
		if checker, ok := p.(Checker); ok {
			if s.Token == "" {
				s.Token = NewToken()
			}
			checked, err := checker.Check(ctx, CheckRequest{BotID: botID, Settings: s, PublicURL: c.PublicURL})
			if err != nil {
				return Settings{}, fmt.Errorf("check %s settings: %w", platform, err)
			}
			s = checked
		}
	}
	err = c.Store.Update(ctx, func(tx switchboard.Tx) error { return SaveSettings(ctx, tx, c.Sealer, botID, s) })
	if err != nil {
		return Settings{}, err
	}
	return s.Masked(), nil
}

// Token returns the bot's webhook token, making and storing one if the bot
// has none yet.
func (c Configurer) Token(ctx context.Context, botID string) (string, error) {
	var token string
	err := c.Store.Update(ctx, func(tx switchboard.Tx) error {
		s, err := LoadSettings(ctx, tx, c.Sealer, botID)
		if err != nil {
			return err
		}
		if s.Token == "" {
			s.Token = NewToken()
			if err := SaveSettings(ctx, tx, c.Sealer, botID, s); err != nil {
				return err
			}
		}
		token = s.Token
		return nil
	})
	return token, err
}
