package messengersim

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/channel/meta/metasim"
	"switchboard/internal/simkit"
)

// Config shapes a simulated page or account; the zero value works with
// the Default… credentials.
type Config struct {
	// Instagram makes the simulator an Instagram professional account.
	Instagram bool
	// AccountID is the page's (or Instagram account's) id: entry[].id.
	AccountID string
	// AppID is the id of the app switchboard is (echoes carry it).
	AppID string
	// PageAccessToken is the token the API accepts.
	PageAccessToken string
	// AppSecret signs the webhooks (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken is what the GET handshake sends as hub.verify_token.
	VerifyToken string
	// HumanAgent says the app is approved for the HUMAN_AGENT tag.
	HumanAgent bool
	// Now is the clock of timestamps and windows (default time.Now).
	Now func() time.Time
	// Addr is where Start listens (default 127.0.0.1:0, a free port).
	Addr string
	// WebhookTimeout bounds one webhook call (default 20 s, Meta's).
	WebhookTimeout time.Duration
	// RetryFor is how long a failing webhook delivery is retried (default
	// 1 minute); RetryBase the first backoff, doubled up to RetryMax
	// (defaults 100 ms and 5 s).
	RetryFor, RetryBase, RetryMax time.Duration
	// ReceiptDelay is how long after a send its delivery is posted
	// (default 50 ms).
	ReceiptDelay time.Duration
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	Log  *slog.Logger
}

// Defaults of a simulator started without credentials.
const (
	DefaultPageID          = "104519512465901"
	DefaultInstagramID     = "17841405822304914"
	DefaultAppID           = "531278904573861"
	DefaultPageAccessToken = "sim-page-access-token"
	DefaultAppSecret       = "sim-app-secret"
	DefaultVerifyToken     = "sim-verify-token"
	// PageInboxAppID and InstagramInboxAppID are Meta's inboxes.
	PageInboxAppID      = "263902037430900"
	InstagramInboxAppID = "1217981644879628"
)

func (c Config) withDefaults() Config {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	if c.Instagram {
		def(&c.AccountID, DefaultInstagramID)
	}
	def(&c.AccountID, DefaultPageID)
	def(&c.AppID, DefaultAppID)
	def(&c.PageAccessToken, DefaultPageAccessToken)
	def(&c.AppSecret, DefaultAppSecret)
	def(&c.VerifyToken, DefaultVerifyToken)
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	dur(&c.WebhookTimeout, 20*time.Second)
	dur(&c.RetryFor, time.Minute)
	dur(&c.RetryBase, 100*time.Millisecond)
	dur(&c.RetryMax, 5*time.Second)
	dur(&c.ReceiptDelay, 50*time.Millisecond)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// name is the simulator's name in errors and logs.
func (c Config) name() string {
	if c.Instagram {
		return "instagram simulator"
	}
	return "messenger simulator"
}

// inbox is the app id of Meta's inbox for the account.
func (c Config) inbox() string {
	if c.Instagram {
		return InstagramInboxAppID
	}
	return PageInboxAppID
}

// Sim is a simulated Messenger Platform for one page or account.
type Sim struct {
	cfg Config

	mu      sync.Mutex
	users   map[string]*user
	order   []string
	files   map[string]file
	refused []Refused
	changed chan struct{}
	webhook string
	sw      switches
	// sendTimes are when sends were accepted, for the rate limit.
	sendTimes []time.Time
	timers    int
	stopped   bool

	dispatch *simkit.Dispatcher
	// faults are the Graph API's injected faults (an outage).
	faults simkit.Faults
	simkit.Endpoint
}

// switches are the simulator's own chaos switches.
type switches struct {
	badSignatures bool
	// rateLimit is how many sends a second are taken (0: no limit).
	rateLimit int
}

// file is an attachment a user sent.
type file struct {
	mimeType string
	data     []byte
}

// ErrNoWebhook is returned by the User… methods when no webhook was
// subscribed: the message is kept (the console shows it) but goes nowhere.
var ErrNoWebhook = errors.New("messenger simulator: no webhook subscribed (call Subscribe first)")

// New returns a simulator that is not listening yet: Start it, or serve it
// yourself (it is an http.Handler).
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	s := &Sim{cfg: cfg, users: map[string]*user{}, files: map[string]file{}, changed: make(chan struct{})}
	s.dispatch = newDispatcher(s)
	return s
}

// Start serves the simulator on Config.Addr (default a free loopback port).
func (s *Sim) Start() error {
	return s.Listen(s.cfg.name(), s.cfg.Addr, s, s.cfg.Log)
}

// Close stops serving and stops the webhook deliveries.
func (s *Sim) Close() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.dispatch.Stop()
	s.StopServing()
}

// Config returns the simulator's configuration with its defaults filled.
func (s *Sim) Config() Config { return s.cfg }

// ServeHTTP routes: /_sim/… is the console's control API, /_cdn/… the
// files users sent, / the console, the rest the Graph API.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.URL.Path, "/")
	switch {
	case path == "" && r.Method == http.MethodGet:
		serveConsole(w)
	case path == "favicon.ico":
		http.NotFound(w, r)
	case strings.HasPrefix(path, "_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "_sim"))
	case strings.HasPrefix(path, cdnPrefix):
		s.serveFile(w, strings.TrimPrefix(path, cdnPrefix))
	default:
		s.serveGraph(w, r, metasim.GraphPath(path))
	}
}

// now is the simulator's clock.
func (s *Sim) now() time.Time { return s.cfg.Now() }

// notify wakes whoever waits. The caller holds s.mu.
func (s *Sim) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// mid makes a message id shaped like Meta's ("m_" and base64url).
func mid() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return "m_" + base64.RawURLEncoding.EncodeToString(b)
}
