package gorgiassim

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes a simulated Gorgias account; the zero value works.
type Config struct {
	// Users are the helpdesk's agents; the first one answers from the
	// console. Default: DefaultUser.
	Users []User
	// RateLimit is the leaky bucket's capacity per RateWindow (default 40
	// per 20 s, Gorgias's limit for API keys); a negative RateLimit turns
	// the limiter off.
	RateLimit  int
	RateWindow time.Duration
	// CreateStatus answers successful creations (default 201).
	CreateStatus int
	// SendDelay is how long a public message posted without sent_datetime
	// waits before it counts as sent (default 10 ms).
	SendDelay time.Duration
	// DeliveryTimeout bounds one webhook call (default 10 s); a call that
	// times out is retried up to DeliveryRetries times (default 3).
	DeliveryTimeout time.Duration
	DeliveryRetries int
	// DeliveryWorkers is how many calls are made at once (default 1: one
	// at a time, in the order of the events; more overlap them, as a
	// busy account's calls do).
	DeliveryWorkers int
	// Rendering is how {{…}} variables are written into integrations' URLs.
	Rendering Rendering
	// Teams are the helpdesk's teams (default: none).
	Teams []Team
	// Now is the clock of timestamps and of the rate limiter (default
	// time.Now).
	Now func() time.Time
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	// OnMessage, when set, is called after each message is stored (load
	// tools time relays with it).
	OnMessage func(Message)
	Log       *slog.Logger
}

// DefaultUser is the agent of a simulator started without users: its email
// and API key are the credentials to paste into switchboard.
var DefaultUser = User{ID: 1, Email: "agent@example.com", Name: "Alex Agent", Firstname: "Alex", Lastname: "Agent", Role: "admin", APIKey: "sim-api-key"}

func (c Config) withDefaults() Config {
	if len(c.Users) == 0 {
		c.Users = []User{DefaultUser}
	}
	if c.RateLimit == 0 {
		c.RateLimit = 40
	}
	if c.RateWindow <= 0 {
		c.RateWindow = 20 * time.Second
	}
	if c.CreateStatus == 0 {
		c.CreateStatus = http.StatusCreated
	}
	if c.SendDelay <= 0 {
		c.SendDelay = 10 * time.Millisecond
	}
	if c.DeliveryTimeout <= 0 {
		c.DeliveryTimeout = 10 * time.Second
	}
	if c.DeliveryRetries == 0 {
		c.DeliveryRetries = 3
	}
	if c.DeliveryWorkers <= 0 {
		c.DeliveryWorkers = 1
	}
	simkit.Defaults(&c.Now, &c.Log)
	return c
}

// Server is a simulated Gorgias account served over HTTP: the REST API under
// /api, the console at /, and test controls under /_sim.
type Server struct {
	// Sim holds the URL (the domain to give switchboard), the faults and the
	// webhook dispatcher, and the test controls every simulator has.
	simkit.Sim
	cfg Config

	mu           sync.Mutex
	customers    []*Customer
	tickets      []*Ticket
	messages     map[int64][]*Message // by ticket
	integrations []*Integration
	nextID       simkit.IDs
	tags         []TicketTag
	rnd          *rand.Rand

	limiter *bucket
}

// Start serves a simulator on addr ("" means a free loopback port).
func Start(addr string, cfg Config) (*Server, error) {
	s := New(cfg)
	return simkit.Started(s, s.Serve("gorgias", addr, s, s.cfg.Log))
}

// New returns a simulator that is not listening: serve it yourself (it is
// an http.Handler) and set URL.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg: cfg, messages: map[int64][]*Message{},
		nextID: simkit.IDs{"customer": 300, "ticket": 5000, "message": 70000, "event": 900000, "integration": 40, "channel": 10},
		rnd:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed)),
	}
	s.limiter = newBucket(cfg.RateLimit, cfg.RateWindow)
	s.Dispatch = newDispatcher(s)
	return s
}

// ServeHTTP routes: /api/… is the REST API, /_sim/… the test controls, / the
// console.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimRight(r.URL.Path, "/")
	switch {
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r, strings.TrimPrefix(path, "/api"))
	case strings.HasPrefix(path, "/_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "/_sim"))
	case path == "" && r.Method == http.MethodGet:
		simkit.ServeConsole(w, consolePage)
	default:
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
	}
}

// id hands out the next id of a kind. The caller holds s.mu.
func (s *Server) id(kind string) int64 { return s.nextID.Next(kind) }

// now is the simulator's clock.
func (s *Server) now() time.Time { return s.cfg.Now() }

// agent returns the console's agent, or the user with this id.
func (s *Server) agent(id int64) (User, bool) {
	if id == 0 {
		return s.cfg.Users[0], true
	}
	for _, u := range s.cfg.Users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}
