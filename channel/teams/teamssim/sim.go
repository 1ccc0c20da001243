package teamssim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes the simulated bot; the zero value works with the
// Default… credentials.
type Config struct {
	// AppID and AppPassword are the bot's Microsoft App ID and client
	// secret.
	AppID, AppPassword string
	// TenantID is the users' tenant.
	TenantID string
	// Addr is where Start listens (default a free loopback port).
	Addr string
	// TokenTTL is how long a bot token lasts (default an hour).
	TokenTTL time.Duration
	// ThreadLimit is how many operations a second a conversation takes
	// before 429 (default 7, as Teams; -1: no limit).
	ThreadLimit int
	// Now is the simulator's clock (default time.Now): tokens' times.
	Now func() time.Time
	Log *slog.Logger
}

// Defaults of a simulator started without credentials.
const (
	DefaultAppID       = "b0700000-0000-4000-8000-000000000001"
	DefaultAppPassword = "sim-app-password-0123456789"
	DefaultTenantID    = "7e0a0000-0000-4000-8000-000000000001"
	// ChannelID is the channelId of Teams' activities.
	ChannelID = "msteams"
	// region is the path of the serviceUrl, as Teams' regional hosts
	// (https://smba.trafficmanager.net/amer/).
	region = "/amer"
)

// signer is a key the simulator signs with, and what its JWKS says of it.
type signer struct {
	kid          string
	key          *rsa.PrivateKey
	endorsements []string
}

// Sim is the simulated Teams of one bot.
type Sim struct {
	cfg Config
	simkit.Endpoint
	hooks  *simkit.Dispatcher
	faults simkit.Faults

	// main signs the activities; other is listed but endorsed for
	// "webchat" only; stranger is listed nowhere.
	main, other, stranger signer

	mu       sync.Mutex
	endpoint string
	tokens   map[string]time.Time
	convs    map[string]*Conversation
	order    []string
	images   map[string]image
	sent     map[string][]time.Time
	next     int64
	forge    Forgery
	// keyFetches counts the JWKS's reads.
	keyFetches int
	// posted are the activities posted, by id, for Replay; answers their
	// deliveries' statuses.
	posted  map[string][]byte
	answers map[string]int
	changed chan struct{}
}

// image is an inline image a user sent.
type image struct {
	contentType string
	data        []byte
}

// New returns a simulator; Start serves it.
func New(cfg Config) *Sim {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&cfg.AppID, DefaultAppID)
	def(&cfg.AppPassword, DefaultAppPassword)
	def(&cfg.TenantID, DefaultTenantID)
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	if cfg.ThreadLimit == 0 {
		cfg.ThreadLimit = 7
	}
	simkit.Defaults(&cfg.Now, &cfg.Log)
	s := &Sim{cfg: cfg, tokens: map[string]time.Time{}, convs: map[string]*Conversation{}, images: map[string]image{}, sent: map[string][]time.Time{},
		posted: map[string][]byte{}, answers: map[string]int{}, changed: make(chan struct{}), next: 1700000000000}
	s.main = newSigner([]string{ChannelID, "webchat", "emulator"})
	s.other = newSigner([]string{"webchat"})
	s.stranger = newSigner([]string{ChannelID})
	// The Bot Connector gives up on a bot after about 15 s and does not
	// post an activity again.
	s.hooks = simkit.NewDispatcher(simkit.DispatcherConfig{Timeout: 15 * time.Second, Done: s.answered})
	return s
}

// newSigner makes a 2048-bit key with a random kid.
func newSigner(endorsements []string) signer {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("teamssim: generate key: " + err.Error())
	}
	return signer{kid: randomID(12), key: k, endorsements: endorsements}
}

// randomID is n random bytes, base64url.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start serves the simulator.
func (s *Sim) Start() error {
	return s.Listen("teams", s.cfg.Addr, s.routes(), s.cfg.Log)
}

// Close stops the simulator.
func (s *Sim) Close() {
	s.hooks.Stop()
	s.StopServing()
}

// Config is the simulator's configuration, defaults filled.
func (s *Sim) Config() Config { return s.cfg }

// ServiceURL is the serviceUrl of the simulator's conversations.
func (s *Sim) ServiceURL() string { return s.URL() + region + "/" }

// MetadataURL is the OpenID metadata's URL: the channel's
// openid_metadata_url.
func (s *Sim) MetadataURL() string { return s.URL() + "/v1/.well-known/openidconfiguration" }

// TokenURL is the token endpoint of multi-tenant bots: the channel's
// token_url.
func (s *Sim) TokenURL() string { return s.URL() + "/botframework.com/oauth2/v2.0/token" }

// Settings are the channel settings that point switchboard at the
// simulator.
func (s *Sim) Settings() map[string]string {
	return map[string]string{"app_id": s.cfg.AppID, "app_password": s.cfg.AppPassword, "openid_metadata_url": s.MetadataURL(), "token_url": s.TokenURL()}
}

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/.well-known/openidconfiguration", s.metadata)
	mux.HandleFunc("GET /v1/.well-known/keys", s.jwks)
	// Multi-tenant bots' endpoint, and the users' tenant's.
	for _, tenant := range []string{"botframework.com", s.cfg.TenantID} {
		mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/token", s.issueToken)
	}
	mux.HandleFunc("POST "+region+"/v3/conversations/{conv}/activities", s.postActivity)
	mux.HandleFunc("POST "+region+"/v3/conversations/{conv}/activities/{reply}", s.postActivity)
	mux.HandleFunc("GET "+region+"/v3/attachments/{id}/views/original", s.getImage)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { serveConsole(w) })
	mux.HandleFunc("GET /_sim/", s.control)
	mux.HandleFunc("POST /_sim/", s.control)
	return mux
}

// control answers the control API under /_sim.
func (s *Sim) control(w http.ResponseWriter, r *http.Request) {
	s.serveControl(w, r, strings.TrimPrefix(r.URL.Path, "/_sim"))
}

// wake tells waiters something changed; s.mu is held.
func (s *Sim) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}
