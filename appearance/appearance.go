// Package appearance is how a bot's chat page and widget look to its
// customers: the shop's name, logo, colours, launcher side, welcome texts and
// language, set in the administration and kept as a setting document per
// bot. Values are checked when saved, so the pages can trust them.
package appearance

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
)

// Defaults of the fields left empty.
const (
	DefaultAccent     = "#2563eb"
	DefaultAccentText = "#ffffff"
	LauncherRight     = "right"
	LauncherLeft      = "left"
)

// Appearance is a bot's look. Every field is optional: empty takes the
// default (the bot's name, no logo, DefaultAccent, DefaultAccentText, the
// right side, no welcome texts, English).
type Appearance struct {
	// Name is the chat's title; empty shows the bot's name.
	Name string `json:"name,omitempty"`
	// Logo is the avatar or logo shown beside the name: an https URL, or an
	// uploaded image as a data: URL (PNG, JPEG, GIF or WebP, at most
	// MaxLogoBytes).
	Logo string `json:"logo,omitempty"`
	// Accent colours the header, the send button, the launcher and the
	// customer's bubbles; AccentText is the text on it. Both #rrggbb, with
	// a contrast of at least MinContrast between them.
	Accent     string `json:"accent,omitempty"`
	AccentText string `json:"accent_text,omitempty"`
	// Launcher is the widget button's side: "right" or "left".
	Launcher string `json:"launcher,omitempty"`
	// WelcomeTitle and WelcomeText greet the customer at the top of the
	// conversation, before the bot's first message.
	WelcomeTitle string `json:"welcome_title,omitempty"`
	WelcomeText  string `json:"welcome_text,omitempty"`
	// Language is the pages' language code ("en", "fr", or one of the data
	// folder's languages).
	Language string `json:"language,omitempty"`
}

// Resolved is the appearance with the defaults in place of empty fields but
// the name and the welcome texts, which pages show only when set.
func (a Appearance) Resolved(defaultLanguage string) Appearance {
	if a.Accent == "" {
		a.Accent = DefaultAccent
	}
	if a.AccentText == "" {
		a.AccentText = DefaultAccentText
	}
	if a.Launcher == "" {
		a.Launcher = LauncherRight
	}
	if a.Language == "" {
		a.Language = defaultLanguage
	}
	return a
}

// SettingName is the setting document of a bot's appearance.
func SettingName(botID string) string { return "appearance:" + botID }

// Load reads a bot's appearance; never set is the zero Appearance.
func Load(ctx context.Context, tx switchboard.Tx, botID string) (Appearance, error) {
	var a Appearance
	raw, err := tx.Setting(ctx, SettingName(botID))
	if err != nil || raw == nil {
		return a, err
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("decode the appearance of bot %s: %w", botID, err)
	}
	return a, nil
}

// Save stores a bot's appearance, which Check accepted.
func Save(ctx context.Context, tx switchboard.Tx, botID string, a Appearance) error {
	raw, _ := json.Marshal(a) // strings always encode
	return tx.PutSetting(ctx, SettingName(botID), raw)
}
