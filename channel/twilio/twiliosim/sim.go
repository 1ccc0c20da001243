package twiliosim

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes the simulated account; the zero value works with the
// Default… credentials.
type Config struct {
	// AccountSID and AuthToken are the account's credentials: Basic auth
	// of the REST API and the key of the webhook signatures.
	AccountSID, AuthToken string
	// Number is the account's SMS number, in E.164.
	Number string
	// Addr is where Start listens (default a free loopback port).
	Addr string
	// StatusDelay is how long after a send its status callbacks are posted
	// (default 50 ms).
	StatusDelay time.Duration
	// MaxConcurrent bounds the REST calls served at once, the account's
	// concurrency: beyond it, 429 with error 20429 (default 100).
	MaxConcurrent int
	Log           *slog.Logger
}

// Defaults of a simulator started without credentials.
const (
	DefaultAccountSID = "AC00000000000000000000000000000001"
	DefaultAuthToken  = "sim-auth-token-0123456789abcdef"
	DefaultNumber     = "+15005550006"
)

// Message is one SMS of a conversation, either way.
type Message struct {
	SID string `json:"sid"`
	// Direction is "inbound" (the customer's) or "outbound-api" (sent by
	// the REST API), "outbound-reply" (TwiML or Twilio's own keyword
	// answers).
	Direction string    `json:"direction"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Body      string    `json:"body"`
	MediaURLs []string  `json:"media_urls,omitempty"`
	Encoding  string    `json:"encoding"`
	Segments  int       `json:"num_segments"`
	Status    string    `json:"status"`
	ErrorCode int       `json:"error_code,omitempty"`
	At        time.Time `json:"date_created"`
	// StatusCallback is where the statuses of an outbound message go.
	StatusCallback string `json:"status_callback,omitempty"`
}

// media is a file a customer sent.
type media struct {
	contentType string
	data        []byte
}

// Sim is the simulated account.
type Sim struct {
	cfg Config
	simkit.Endpoint
	hooks *simkit.Dispatcher

	mu sync.Mutex
	// webhook is the number's "A message comes in" URL; statusURL the
	// Messaging Service's status callback, for sends without one.
	webhook, statusURL string
	messages           []Message
	optedOut           map[string]bool
	unreachable        map[string]bool
	media              map[string]media
	// forms are the customers' messages as posted, for Replay.
	forms map[string]url.Values
	// answers are the webhook's answers to them.
	answers map[string]Answer
	// attempts count the valid sends to each number, refused ones too.
	attempts map[string]int
	throttle int // sends allowed before 429s (-1: no limit)
	busy     int
	forge    bool
	changed  chan struct{}
	// faults are the REST API's injected faults (an outage).
	faults simkit.Faults
}

// New returns a simulator; Start serves it.
func New(cfg Config) *Sim {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&cfg.AccountSID, DefaultAccountSID)
	def(&cfg.AuthToken, DefaultAuthToken)
	def(&cfg.Number, DefaultNumber)
	if cfg.StatusDelay <= 0 {
		cfg.StatusDelay = 50 * time.Millisecond
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 100
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Sim{cfg: cfg, optedOut: map[string]bool{}, unreachable: map[string]bool{}, media: map[string]media{}, forms: map[string]url.Values{}, answers: map[string]Answer{}, attempts: map[string]int{}, throttle: -1, changed: make(chan struct{})}
	// Twilio waits 15 s for an answer and retries once a call that could
	// not connect, unless the URL's connection overrides say otherwise.
	s.hooks = simkit.NewDispatcher(simkit.DispatcherConfig{Timeout: 15 * time.Second, Done: s.answered,
		Retry: func(attempt, status int, err error) (time.Duration, bool) {
			s.mu.Lock()
			o := overridesOf(s.webhook)
			s.mu.Unlock()
			return 100 * time.Millisecond, attempt <= o.retries && o.retry(status, err)
		}})
	return s
}

// Start serves the simulator.
func (s *Sim) Start() error {
	return s.Listen("twilio", s.cfg.Addr, s.routes(), s.cfg.Log)
}

// Close stops the simulator.
func (s *Sim) Close() {
	s.hooks.Stop()
	s.StopServing()
}

// Config is the simulator's configuration, defaults filled.
func (s *Sim) Config() Config { return s.cfg }

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", s.createMessage)
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{media}", s.getMedia)
	mux.HandleFunc("GET /2010-04-01/Accounts/{account}", s.getAccount)
	s.consoleRoutes(mux)
	return mux
}

// sid makes a Twilio id: its prefix and 32 hex digits.
func sid(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// record adds a message and wakes whoever waits on the conversations;
// s.mu is held.
func (s *Sim) record(m Message) {
	s.messages = append(s.messages, m)
	s.wake()
}

// wake tells waiters something changed; s.mu is held.
func (s *Sim) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}
