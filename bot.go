package switchboard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Bot is a CSML bot as switchboard runs it: the fields of a CSML Studio export
// (bot.json plus flows/*.csml) or of a CSML engine BotModel.
type Bot struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	DefaultFlow      string          `json:"default_flow"`
	Flows            []Flow          `json:"flows"`
	Env              json.RawMessage `json:"env,omitempty"`
	CustomComponents json.RawMessage `json:"custom_components,omitempty"`
	AppsEndpoint     string          `json:"apps_endpoint,omitempty"`
	// NoInterruptionDelay, in seconds, mirrors the engine's option of the same name.
	NoInterruptionDelay int `json:"no_interruption_delay,omitempty"`
	// Modules are flows shared between bots, which flows read with
	// `import fn from modules/<name>`. Their sources are part of the bot:
	// one given by URL is downloaded when the bot is imported, never while
	// it runs.
	Modules []Module `json:"modules,omitempty"`
}

// Module is one module of a bot, as the CSML engine's BotModel declares it:
// a name, and its flow inline or a URL to download it from (with HTTP basic
// credentials in Auth, "user:password"). Auth is used for the download only
// and never stored.
type Module struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	Auth    string `json:"-"`
	Version string `json:"version,omitempty"`
	// Flow is the module's source: given inline, or what URL answered.
	Flow *Flow `json:"flow,omitempty"`
}

// Flow is one CSML source file of a bot with the trigger commands that start it.
type Flow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Content  string   `json:"content"`
	Commands []string `json:"commands"`
}

// BotVersion is a stored, immutable copy of a bot. The version id is a content
// hash, so loading the same bot twice keeps one version.
type BotVersion struct {
	Bot       Bot       `json:"bot"`
	VersionID string    `json:"version_id"`
	CreatedAt time.Time `json:"created_at"`
}

// NewBotVersion wraps a bot as a version whose id is a hash of its content, so
// the same bot loaded twice is the same version.
func NewBotVersion(b Bot, now time.Time) BotVersion {
	data, _ := json.Marshal(b) // a Bot always marshals: plain fields and raw JSON
	sum := sha256.Sum256(data)
	return BotVersion{Bot: b, VersionID: hex.EncodeToString(sum[:12]), CreatedAt: now}
}
