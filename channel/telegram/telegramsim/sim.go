package telegramsim

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes a simulated bot; the zero value works with DefaultToken.
type Config struct {
	// Token is the bot token the API takes in its path.
	Token string
	// Username is the bot's @username (getMe).
	Username string
	// Addr is where Start listens (default 127.0.0.1:0, a free port).
	Addr string
	// InsecureWebhooks lets setWebhook take http URLs on any port, as
	// Telegram never does: for a switchboard on a developer's machine.
	InsecureWebhooks bool
	// Now is the clock of dates and flood control (default time.Now).
	Now func() time.Time
	// WebhookTimeout bounds one delivery (default 10 s).
	WebhookTimeout time.Duration
	// Attempts is how many times an update is delivered before it is
	// dropped (default 8); RetryBase the first pause between attempts,
	// doubled each time up to RetryMax (defaults 100 ms and 5 s).
	Attempts            int
	RetryBase, RetryMax time.Duration
	// ChatBurst messages may go to one chat at once, then one a second
	// (default 10); GlobalRate messages a second in all (default 30).
	ChatBurst, GlobalRate int
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	Log  *slog.Logger
}

// DefaultToken is the token of a simulator started without one.
const DefaultToken = "7000000001:AAsimulatedTelegramBotTokenForSwitchboard"

func (c Config) withDefaults() Config {
	if c.Token == "" {
		c.Token = DefaultToken
	}
	if c.Username == "" {
		c.Username = "switchboard_sim_bot"
	}
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	dur(&c.WebhookTimeout, 10*time.Second)
	dur(&c.RetryBase, 100*time.Millisecond)
	dur(&c.RetryMax, 5*time.Second)
	if c.Attempts <= 0 {
		c.Attempts = 8
	}
	if c.ChatBurst <= 0 {
		c.ChatBurst = 10
	}
	if c.GlobalRate <= 0 {
		c.GlobalRate = 30
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Sim is a simulated Bot API server for one bot.
type Sim struct {
	cfg Config

	mu        sync.Mutex
	chats     map[int64]*Chat
	order     []int64
	callbacks map[string]*Callback
	files     map[string]*storedFile // by file_id
	paths     map[string]string      // file_path → file_id
	hook      webhook
	pending   []update // updates not delivered yet, oldest first
	done      map[int64]update
	nextUpd   int64
	nextID    int64 // user ids, message ids are per chat
	calls     []Call
	flood     flood
	wrongKey  bool
	changed   chan struct{}

	faults simkit.Faults
	// serial delivers one update at a time, in order (max_connections
	// 1); parallel up to 8 at once, which may arrive out of order.
	serial, parallel *simkit.Dispatcher
	simkit.Endpoint
}

// New returns a simulator that is not listening yet: Start it, or serve it
// yourself (it is an http.Handler).
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	s := &Sim{
		cfg: cfg, chats: map[int64]*Chat{}, callbacks: map[string]*Callback{}, files: map[string]*storedFile{}, paths: map[string]string{}, done: map[int64]update{},
		nextUpd: 815000000, nextID: 5550000000, changed: make(chan struct{}),
	}
	s.serial, s.parallel = s.newDispatcher(1), s.newDispatcher(8)
	return s
}

// Start serves the simulator on Config.Addr.
func (s *Sim) Start() error {
	return s.Listen("telegram", s.cfg.Addr, s, s.cfg.Log)
}

// Close stops serving and the deliveries.
func (s *Sim) Close() {
	s.serial.Stop()
	s.parallel.Stop()
	s.StopServing()
}

// Config returns the configuration with its defaults filled.
func (s *Sim) Config() Config { return s.cfg }

// ServeHTTP routes: /bot<token>/<method> the Bot API, /file/bot<token>/…
// the downloads, /_sim/… the console's control API, / the console.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	switch {
	case path == "" && r.Method == http.MethodGet:
		serveConsole(w)
	case strings.HasPrefix(path, "_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "_sim"))
	case strings.HasPrefix(path, "file/bot"):
		s.serveFile(w, r, strings.TrimPrefix(path, "file/bot"))
	case strings.HasPrefix(path, "bot"):
		s.serveAPI(w, r, strings.TrimPrefix(path, "bot"))
	default:
		writeError(w, http.StatusNotFound, "Not Found", 0)
	}
}

// notify wakes whoever waits for a change. The caller holds s.mu.
func (s *Sim) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// secondsDuration is n seconds.
func secondsDuration(n int) time.Duration { return time.Duration(n) * time.Second }
