package chatwootsim

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes a simulated Chatwoot instance; the zero value works.
type Config struct {
	// Accounts are the instance's accounts (default: one, DefaultAccount).
	Accounts []Account
	// Users are its users; the first one answers from the console (default:
	// DefaultUser, an administrator of every account).
	Users []User
	// Bots are its agent bots (default: DefaultBot).
	Bots []AgentBot
	// RateLimit is how many API requests one client address may make per
	// minute before 429 (Chatwoot's Rack::Attack; 0: no limit, as for
	// localhost).
	RateLimit int
	// DeliveryTimeout bounds one webhook call (default 5 s, Chatwoot's
	// WEBHOOK_TIMEOUT). A call that fails is made once: DeliveryRetries
	// more attempts, with the same delivery id and a fresh signature, are
	// made only when set (a mode Chatwoot may add).
	DeliveryTimeout time.Duration
	DeliveryRetries int
	// DeliveryWorkers is how many calls are made at once (default 1: one at
	// a time, in the order of the events).
	DeliveryWorkers int
	// Unsigned makes API inboxes without a webhook secret, as Chatwoot
	// versions before signed API inbox webhooks are: no signature is sent.
	Unsigned bool
	// CSATSurvey turns the CSAT survey on in the inboxes made (Inbox
	// settings > CSAT; csat_survey_enabled): resolving a conversation then
	// sends the survey (see setStatus).
	CSATSurvey bool
	// SurveyDelay is how long after the status change the survey is made:
	// Chatwoot makes it in a background job (CsatSurveyListener runs in
	// the EventDispatcherJob of conversation_status_changed), so a queue's
	// latency may pass first. 0 makes it at once, after the status
	// change's webhooks were queued.
	SurveyDelay time.Duration
	// Teams are the accounts' teams (default: none).
	Teams []Team
	// FloodLimit refuses a conversation's messages past this many a minute
	// with 422 "Too many messages" (0: no limit).
	FloodLimit int
	// Now is the clock of timestamps and signatures (default time.Now).
	Now func() time.Time
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	// OnMessage, when set, is called after each message is stored (load
	// tools time relays with it).
	OnMessage func(Message)
	Log       *slog.Logger
}

// Defaults of a simulator started without accounts, users or bots: the
// access token is what to paste into switchboard.
var (
	DefaultAccount = Account{ID: 1, Name: "Acme Support"}
	DefaultUser    = User{ID: 1, Name: "Alex Agent", Email: "agent@example.com", Token: "sim-access-token"}
	DefaultBot     = AgentBot{ID: 1, Name: "Captain", Token: "sim-bot-token"}
)

func (c Config) withDefaults() Config {
	if len(c.Accounts) == 0 {
		c.Accounts = []Account{DefaultAccount}
	}
	if len(c.Users) == 0 {
		u := DefaultUser
		u.Roles = map[int64]string{}
		for _, a := range c.Accounts {
			u.Roles[a.ID] = "administrator"
		}
		c.Users = []User{u}
	}
	if len(c.Bots) == 0 {
		c.Bots = []AgentBot{DefaultBot}
	}
	if c.DeliveryTimeout <= 0 {
		c.DeliveryTimeout = 5 * time.Second
	}
	simkit.Defaults(&c.Now, &c.Log)
	return c
}

// Server is a simulated Chatwoot instance served over HTTP: the API under
// /api/v1, uploaded files under /rails, the console at /, and test
// controls under /_sim.
type Server struct {
	// Sim holds the URL (the url to give switchboard), the faults and the
	// webhook dispatcher, and the test controls every simulator has.
	simkit.Sim
	cfg Config

	mu            sync.Mutex
	inboxes       []*Inbox
	contacts      []*Contact
	contactInboxs []*ContactInbox
	conversations []*Conversation
	messages      map[int64][]*Message // by conversation
	canned        []*CannedResponse
	nextID        simkit.IDs
	displayIDs    map[int64]int64 // the last display id of each account
	badSignatures bool

	limiter *limiter
}

// Start serves a simulator on addr ("" means a free loopback port).
func Start(addr string, cfg Config) (*Server, error) {
	s := New(cfg)
	return simkit.Started(s, s.Serve("chatwoot", addr, s, s.cfg.Log))
}

// New returns a simulator that is not listening: serve it yourself (it is
// an http.Handler) and set URL.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg: cfg, messages: map[int64][]*Message{}, displayIDs: map[int64]int64{},
		nextID:  simkit.IDs{"inbox": 0, "channel": 0, "contact": 100, "contact_inbox": 200, "conversation": 0, "message": 1000, "attachment": 0, "canned": 0},
		limiter: newLimiter(cfg.RateLimit),
	}
	s.Dispatch = newDispatcher(s)
	for _, a := range cfg.Accounts {
		s.canned = append(s.canned, &CannedResponse{ID: s.id("canned"), AccountID: a.ID, ShortCode: SignOffShortCode, Content: SignOffText})
	}
	return s
}

// ServeHTTP routes: /api/v1/… is the API, /rails/… the files, /_sim/… the
// test controls, / the console.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimRight(r.URL.Path, "/")
	switch {
	case strings.HasPrefix(path, "/api/v1/"):
		s.serveAPI(w, r, strings.TrimPrefix(path, "/api/v1"))
	case strings.HasPrefix(path, filePath) && r.Method == http.MethodGet:
		s.serveFile(w, strings.TrimPrefix(path, filePath))
	case strings.HasPrefix(path, "/_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "/_sim"))
	case path == "" && r.Method == http.MethodGet:
		simkit.ServeConsole(w, consolePage)
	default:
		writeError(w, http.StatusNotFound, "Resource could not be found")
	}
}

// id hands out the next id of a kind. The caller holds s.mu.
func (s *Server) id(kind string) int64 { return s.nextID.Next(kind) }

// now is the simulator's clock.
func (s *Server) now() time.Time { return s.cfg.Now() }

// token returns a random secure token, as Chatwoot's has_secure_token.
func token() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// uuid returns a random UUID (version 4).
func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Lookups; the caller holds s.mu.

func (s *Server) account(id int64) *Account {
	for i := range s.cfg.Accounts {
		if s.cfg.Accounts[i].ID == id {
			return &s.cfg.Accounts[i]
		}
	}
	return nil
}

func (s *Server) inbox(account, id int64) *Inbox {
	for _, in := range s.inboxes {
		if in.ID == id && in.AccountID == account {
			return in
		}
	}
	return nil
}

func (s *Server) contact(account, id int64) *Contact {
	for _, c := range s.contacts {
		if c.ID == id && c.AccountID == account {
			return c
		}
	}
	return nil
}

func (s *Server) conversation(account, displayID int64) *Conversation {
	for _, c := range s.conversations {
		if c.DisplayID == displayID && c.AccountID == account {
			return c
		}
	}
	return nil
}

func (s *Server) user(id int64) *User {
	for i := range s.cfg.Users {
		if s.cfg.Users[i].ID == id {
			return &s.cfg.Users[i]
		}
	}
	return nil
}
