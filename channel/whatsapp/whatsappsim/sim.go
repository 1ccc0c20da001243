package whatsappsim

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard/channel/meta/metasim"
	"switchboard/internal/simkit"
)

// Config shapes a simulated business phone number; the zero value works
// with the Default… credentials.
type Config struct {
	// PhoneNumberID is the number's id in the send API's path;
	// DisplayPhoneNumber the number customers see.
	PhoneNumberID, DisplayPhoneNumber string
	// AccessToken is the Bearer token the API accepts (a system user's).
	AccessToken string
	// AppSecret signs the webhooks (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken is what the GET handshake sends as hub.verify_token.
	VerifyToken string
	// Now is the clock of timestamps, the 24-hour window, rate limits and
	// media URL expiry (default time.Now).
	Now func() time.Time

	// WABAID is the WhatsApp Business Account id of entry[].id.
	WABAID string
	// Addr is where Start listens (default 127.0.0.1:0, a free port).
	Addr string
	// WebhookTimeout bounds one webhook call (default 10 s); a slower
	// answer counts as a failure and is retried.
	WebhookTimeout time.Duration
	// RetryFor is how long a failing webhook delivery is retried, standing
	// for Meta's 7 days (default 1 minute); RetryBase the first backoff,
	// doubled at each attempt up to RetryMax (defaults 100 ms and 5 s).
	RetryFor, RetryBase, RetryMax time.Duration
	// WebhookWorkers is how many webhook calls are made at once. The
	// default, 1, posts in order and a call being retried holds the later
	// ones back; more lets later events overtake a failing one, as they may
	// on Meta.
	WebhookWorkers int
	// StatusDelay is how long after a send its statuses are posted
	// (default 50 ms).
	StatusDelay time.Duration
	// BatchWindow is how long batching gathers events into one POST
	// (default 100 ms).
	BatchWindow time.Duration
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	Log  *slog.Logger
}

// Defaults of a simulator started without credentials: what to paste into
// switchboard.
const (
	DefaultPhoneNumberID      = "106540352242922"
	DefaultDisplayPhoneNumber = "15550783881"
	DefaultWABAID             = "102290129340398"
	DefaultAccessToken        = "sim-access-token"
	DefaultAppSecret          = "sim-app-secret"
	DefaultVerifyToken        = "sim-verify-token"
)

func (c Config) withDefaults() Config {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&c.PhoneNumberID, DefaultPhoneNumberID)
	def(&c.DisplayPhoneNumber, DefaultDisplayPhoneNumber)
	def(&c.WABAID, DefaultWABAID)
	def(&c.AccessToken, DefaultAccessToken)
	def(&c.AppSecret, DefaultAppSecret)
	def(&c.VerifyToken, DefaultVerifyToken)
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	dur(&c.WebhookTimeout, 10*time.Second)
	dur(&c.RetryFor, time.Minute)
	dur(&c.RetryBase, 100*time.Millisecond)
	dur(&c.RetryMax, 5*time.Second)
	dur(&c.StatusDelay, 50*time.Millisecond)
	dur(&c.BatchWindow, 100*time.Millisecond)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Sim is a simulated WhatsApp Cloud API for one business phone number.
type Sim struct {
	cfg Config

	mu        sync.Mutex
	customers map[string]*customer
	order     []string // customers' wa_ids, first contact first
	media     map[string]*storedMedia
	templates map[string]templateDef
	refused   []Sent
	changed   chan struct{} // closed and replaced whenever a message is added or changes
	webhook   string
	verified  []Verification
	sw        switches
	// sendTimes are when messages were accepted, for the throughput limit.
	sendTimes []time.Time
	pending   []event // batched events not yet posted
	flushing  bool
	// timers counts planned statuses not yet posted.
	timers  int
	stopped bool

	faults   simkit.Faults
	dispatch *simkit.Dispatcher
	simkit.Endpoint
}

// ErrNoWebhook is returned by the Customer… methods when no webhook was
// subscribed: the message is kept (the console shows it) but goes nowhere,
// as on Meta's side with no callback URL.
var ErrNoWebhook = errors.New("whatsapp simulator: no webhook subscribed (call Subscribe first)")

// New returns a simulator that is not listening yet: Start it, or serve it
// yourself (it is an http.Handler).
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	s := &Sim{
		cfg: cfg, customers: map[string]*customer{}, media: map[string]*storedMedia{},
		templates: map[string]templateDef{}, changed: make(chan struct{}),
	}
	s.AddTemplate("hello_world", "en_US", "Hello World")
	s.dispatch = newDispatcher(s)
	return s
}

// Start serves the simulator on Config.Addr (default a free loopback port).
func (s *Sim) Start() error {
	return s.Listen("whatsapp", s.cfg.Addr, s, s.cfg.Log)
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

// ServeHTTP routes: /_sim/… is the console's control API, / the console,
// the rest the Graph API (an optional version segment first).
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.URL.Path, "/")
	switch {
	case path == "" && r.Method == http.MethodGet:
		serveConsole(w)
	case path == "favicon.ico":
		http.NotFound(w, r)
	case strings.HasPrefix(path, "_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "_sim"))
	case path == downloadPath:
		s.serveDownload(w, r)
	default:
		s.serveGraph(w, r, metasim.GraphPath(path))
	}
}

// now is the simulator's clock.
func (s *Sim) now() time.Time { return s.cfg.Now() }

// notify wakes whoever waits for messages. The caller holds s.mu.
func (s *Sim) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// customer returns the customer of waID, made on first contact with name
// (a later non-empty name replaces it, as a profile change does). The
// caller holds s.mu.
func (s *Sim) customer(waID, name string) *customer {
	c := s.customers[waID]
	if c == nil {
		c = &customer{waID: waID, name: name}
		s.customers[waID] = c
		s.order = append(s.order, waID)
	}
	if name != "" {
		c.name = name
	}
	return c
}

// windowOpen reports whether c wrote in the last 24 hours. The caller
// holds s.mu.
func (s *Sim) windowOpen(c *customer) bool {
	return !c.lastInbound.IsZero() && s.now().Sub(c.lastInbound) < 24*time.Hour
}

// wamid makes a message id shaped like Meta's ("wamid." and base64).
func wamid() string {
	b := make([]byte, 30)
	_, _ = rand.Read(b)
	return "wamid.HBgL" + base64.StdEncoding.EncodeToString(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

// unix is a timestamp as Meta writes it: a string of unix seconds.
func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
