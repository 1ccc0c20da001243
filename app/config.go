package app

import (
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"switchboard"
	"switchboard/internal/netpolicy"
	"switchboard/livechat"
)

// Config is everything the server needs; the zero value runs on the embedded
// defaults: 127.0.0.1:8080, SQLite in ./switchboard-data, no bots.
type Config struct {
	// Addr is the listen address; port 0 picks a free port.
	Addr string `json:"addr"`
	// DataDir holds the SQLite database and the files switchboard creates.
	DataDir string `json:"data"`
	// Database, when set, is a PostgreSQL database URL
	// (postgres://user:password@host:5432/name?sslmode=disable; a
	// search_path parameter picks the schema): the store of several
	// instances serving the same bots. Empty means SQLite in DataDir.
	Database string `json:"database"`
	// PublicURL is how users and platforms reach this server (links, webhook
	// URLs). Empty means http://Addr.
	PublicURL string      `json:"public_url"`
	Bots      []BotConfig `json:"bots"`
	// SQLiteSync is NORMAL (default: survives a crash of switchboard) or FULL
	// (also survives a power loss, slower).
	SQLiteSync string `json:"sqlite_sync"`
	// SecretKeys are the keys that seal secrets at rest: base64 keys
	// separated by commas, the primary first. Empty means the key file
	// secret.key in the data folder, created on first start.
	SecretKeys string `json:"-"`
	// AdminToken is the bearer token of the admin API. Empty means the token
	// file admin.token in the data folder, created on first start.
	AdminToken string `json:"-"`
	// CallbackTimeout bounds one POST to a Chat API client's callback URL
	// (default 10s).
	CallbackTimeout time.Duration `json:"-"`
	// CallbackAllow lists the non-public addresses that Chat API callbacks
	// may reach anyway, for an app on the same host or network: ranges
	// (10.0.0.0/8), addresses (127.0.0.1) or address:port (127.0.0.1:9000,
	// [::1]:9000). Empty: public addresses only.
	CallbackAllow []string `json:"callback_allow,omitempty"`
	// ChatAPIRate is how many requests a second each API channel may send
	// (default 50, CSML Studio's throttle; -1 turns the limit off).
	ChatAPIRate int `json:"chat_api_rate"`
	// EngineAPIKeys are the keys of the CSML engine server API under
	// /v1/engine (comma-separated); empty turns that API off.
	EngineAPIKeys string `json:"-"`

	// Clock and Log are injected by tests and by cmd; nil means real time and
	// text logs on stderr.
	Clock switchboard.Clock `json:"-"`
	Log   *slog.Logger      `json:"-"`
	// WorkerPoll bounds how long the outbox and timers sleep between looks
	// (default 1s); tests with a moving clock shorten it.
	WorkerPoll time.Duration `json:"-"`
}

// BotConfig is a bot to load at start, with its livechat settings.
type BotConfig struct {
	// Path is a CSML Studio export folder, its bot.json, or a BotModel JSON file.
	Path string `json:"path"`
	// FS, when set, is where Path is (the examples embedded in the binary).
	FS fs.FS `json:"-"`
	// Livechat, when set, replaces the bot's stored livechat settings.
	Livechat *livechat.Settings `json:"livechat,omitempty"`
}

// minEngineKey is the shortest CSML engine API key accepted.
const minEngineKey = 16

// Defaults used by a zero Config.
const (
	DefaultAddr    = "127.0.0.1:8080"
	DefaultDataDir = "switchboard-data"
)

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
	}
	if c.Clock == nil {
		c.Clock = switchboard.SystemClock{}
	}
	if c.WorkerPoll <= 0 {
		c.WorkerPoll = time.Second
	}
	return c
}

// Validate checks the configuration and names the field at fault.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); c.Addr != "" && err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "addr %q is not host:port (for example 127.0.0.1:8080)", c.Addr)
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		return switchboard.Errorf(switchboard.EINVALID, "public_url %q must start with http:// or https://", c.PublicURL)
	}
	if c.AdminToken != "" && len(c.AdminToken) < minAdminToken {
		return switchboard.Errorf(switchboard.EINVALID, "the admin token has %d characters: use at least %d random ones", len(c.AdminToken), minAdminToken)
	}
	if c.Database != "" && !IsPostgres(c.Database) {
		return switchboard.Errorf(switchboard.EINVALID, "database must be a postgres:// URL (or empty for SQLite in the data folder)")
	}
	for _, k := range splitKeys(c.EngineAPIKeys) {
		if len(k) < minEngineKey {
			return switchboard.Errorf(switchboard.EINVALID, "a CSML engine API key has %d characters: use at least %d random ones", len(k), minEngineKey)
		}
	}
	if c.ChatAPIRate < -1 {
		return switchboard.Errorf(switchboard.EINVALID, "chat_api_rate %d is not a rate: use requests per second per API channel (default 50), or -1 for no limit", c.ChatAPIRate)
	}
	switch strings.ToUpper(c.SQLiteSync) {
	case "", "NORMAL", "FULL":
	default:
		return switchboard.Errorf(switchboard.EINVALID, "sqlite_sync %q is unknown: use NORMAL or FULL", c.SQLiteSync)
	}
	if _, err := netpolicy.ParseRules(c.CallbackAllow...); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "callback_allow: %v", err)
	}
	for i, b := range c.Bots {
		if b.Path == "" {
			return switchboard.Errorf(switchboard.EINVALID, "bots[%d].path is empty", i)
		}
		if b.Livechat != nil {
			if err := b.Livechat.Validate(); err != nil {
				return switchboard.Errorf(switchboard.EINVALID, "bots[%d] (%s): %s", i, b.Path, switchboard.ErrorMessage(err))
			}
		}
	}
	return nil
}

// splitKeys reads a comma-separated list of keys, without blanks.
func splitKeys(list string) []string {
	var keys []string
	for _, k := range strings.Split(list, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}
