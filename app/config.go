package app

import (
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"switchboard"
	"switchboard/botfile"
	"switchboard/csml/smtphost"
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
	// SQLiteSync is FULL (default: an acknowledged message survives a power
	// loss) or NORMAL (survives a crash of switchboard only, a little faster).
	SQLiteSync string `json:"sqlite_sync"`
	// SecretKeys are the keys that seal secrets at rest: base64 keys
	// separated by commas, the primary first. Empty means the key file
	// secret.key in the data folder, created on first start.
	SecretKeys string `json:"-"`
	// AdminToken is the bearer token of the admin API. Empty means the token
	// file admin.token in the data folder, created on first start.
	AdminToken string `json:"-"`
	// BotImport bounds the bots uploaded to the administration and loaded
	// at start (zero fields take botfile.DefaultLimits).
	BotImport botfile.Limits `json:"bot_import"`
	// MaxConns bounds the server's open connections; 0 is automatic (what
	// the open file limit allows, at most 50,000), negative no limit.
	MaxConns int `json:"max_conns"`
	// MaxConnsPerAddr bounds the open connections of one client address
	// (an IPv6 /64); 0 is DefaultMaxConnsPerAddr, negative no limit (behind
	// a reverse proxy, which is the one address switchboard sees).
	MaxConnsPerAddr int `json:"max_conns_per_addr"`
	// BodyTimeout bounds how long a request's body may take to arrive
	// (default DefaultBodyTimeout).
	BodyTimeout livechat.Duration `json:"body_timeout"`
	// CallbackTimeout bounds one POST to a Chat API client's callback URL
	// (default 10s).
	CallbackTimeout time.Duration `json:"-"`
	// CallbackAllow lists the non-public addresses that Chat API callbacks
	// may reach anyway, for an app on the same host or network: ranges
	// (10.0.0.0/8), addresses (127.0.0.1) or address:port (127.0.0.1:9000,
	// [::1]:9000). Empty: public addresses only.
	CallbackAllow []string `json:"callback_allow,omitempty"`
	// BotHTTPAllow lists the non-public addresses that bots may reach
	// anyway, in the form of CallbackAllow: their HTTP() and App() calls
	// and the download of their modules at import. Empty: public
	// addresses only.
	BotHTTPAllow []string `json:"bot_http_allow,omitempty"`
	// SMTP is the server's e-mail setting for the bots' SMTP(...).send().
	SMTP SMTPConfig `json:"smtp"`
	// ChatAPIRate is how many requests a second each API channel may send
	// (default 50, CSML Studio's throttle; -1 turns the limit off).
	ChatAPIRate int `json:"chat_api_rate"`
	// AttachmentMaxBytes is the largest file users and agents may send
	// (default attachment.DefaultMaxBytes, 10 MiB). On PostgreSQL files
	// are kept in the database: keep it modest.
	AttachmentMaxBytes int64 `json:"attachment_max_bytes"`
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

// SMTPConfig is the server-wide SMTP setting (docs/configuration.md).
type SMTPConfig struct {
	// Account, when its host is set, is the server's SMTP account: bots
	// that call SMTP(host) with that host and no .auth() send through it
	// (its port, TLS mode and credentials).
	Account smtphost.Account `json:"account"`
	// Allow lists the non-public addresses bots' SMTP connections may reach
	// anyway (a relay on the LAN, switchboard dev mail on 127.0.0.1), in
	// callback_allow's forms. Empty: public addresses only.
	Allow []string `json:"allow,omitempty"`
}

// host is the smtphost configuration of c; c has been validated.
func (c SMTPConfig) host() smtphost.Config {
	allow, _ := netpolicy.ParseRules(c.Allow...)
	cfg := smtphost.Config{Allow: allow}
	if c.Account.Host != "" {
		a := c.Account
		cfg.Account = &a
	}
	return cfg
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
	c.BotImport = c.BotImport.WithDefaults()
	if c.MaxConnsPerAddr == 0 {
		c.MaxConnsPerAddr = DefaultMaxConnsPerAddr
	}
	if c.BodyTimeout == 0 {
		c.BodyTimeout = livechat.Duration(DefaultBodyTimeout)
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
	if c.BodyTimeout < 0 {
		return switchboard.Errorf(switchboard.EINVALID, "body_timeout %s is negative: use a duration such as 30s", time.Duration(c.BodyTimeout))
	}
	if err := c.BotImport.Validate(); err != nil {
		return err
	}
	if _, err := netpolicy.ParseRules(c.CallbackAllow...); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "callback_allow: %v", err)
	}
	if _, err := netpolicy.ParseRules(c.BotHTTPAllow...); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "bot_http_allow: %v", err)
	}
	if _, err := netpolicy.ParseRules(c.SMTP.Allow...); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "smtp.allow: %v", err)
	}
	if a := c.SMTP.Account; a != (smtphost.Account{}) {
		if err := a.Validate(); err != nil {
			return switchboard.Errorf(switchboard.EINVALID, "smtp.account: %v", err)
		}
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
