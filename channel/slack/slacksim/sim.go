package slacksim

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"switchboard/internal/simkit"
)

// Config shapes the simulated workspace; the zero value works with the
// Default… credentials.
type Config struct {
	// BotToken is the app's bot token the Web API takes; SigningSecret
	// signs the deliveries.
	BotToken, SigningSecret string
	// Addr is where Start listens (default a free loopback port).
	Addr string
	// Now is the clock of timestamps and rate limits (default time.Now).
	Now func() time.Time
	// AckTimeout is how long a delivery waits for its 2xx (Slack: 3 s).
	AckTimeout time.Duration
	// RetryDelays are the waits before the retries of an event Slack did
	// not get a 2xx for (default Slack's: none, 1 minute, 5 minutes);
	// tests compress them.
	RetryDelays []time.Duration
	// ChannelBurst is how many messages may go to one channel at once
	// before one a second (default 10).
	ChannelBurst int
	// RefuseLongText answers msg_too_long to a text beyond 40,000
	// characters instead of truncating it.
	RefuseLongText bool
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
	Log  *slog.Logger
}

// Defaults of a simulator started without credentials, and the ids of its
// workspace and app.
const (
	DefaultBotToken      = "xoxb-1000000001-2000000002-SimulatedSlackBotToken"
	DefaultSigningSecret = "5f1e0d2c3b4a59687766554433221100"
	TeamID               = "T0SIMULATED"
	AppID                = "A0SIMULATED"
	// BotUserID is the app's bot user, BotID its bot.
	BotUserID = "U0SIMBOT"
	BotID     = "B0SIMBOT"
	// General is the public channel the bot is a member of.
	General = "C0GENERAL"
)

// User is a person of the workspace with their DM with the app.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	DM   string `json:"dm"`
}

// Conversation is a DM or a channel, as the console shows it.
type Conversation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// IM marks a DM, with User the person.
	IM   bool   `json:"im"`
	User string `json:"user,omitempty"`
	// Member: the bot is in the channel (always in a DM).
	Member   bool      `json:"member"`
	Messages []Message `json:"messages"`
}

// Message is one message of a conversation, a person's or the bot's.
type Message struct {
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts,omitempty"`
	User     string `json:"user"`
	Bot      bool   `json:"bot"`
	Text     string `json:"text"`
	// Blocks are the Block Kit blocks as the bot posted them; Buttons and
	// Images what they show.
	Blocks  []map[string]any `json:"blocks,omitempty"`
	Buttons []Button         `json:"buttons,omitempty"`
	Images  []string         `json:"images,omitempty"`
	Files   []string         `json:"files,omitempty"`
	// Warning is what Slack said of the post (message_truncated).
	Warning string `json:"warning,omitempty"`
	// Pressed are the values of the buttons pressed on it.
	Pressed []string `json:"pressed,omitempty"`
	Edited  bool     `json:"edited,omitempty"`
}

// Button is a Block Kit button of a bot's message.
type Button struct {
	Text     string `json:"text"`
	ActionID string `json:"action_id"`
	BlockID  string `json:"block_id"`
	Value    string `json:"value,omitempty"`
	URL      string `json:"url,omitempty"`
}

// storedFile is a file a user shared.
type storedFile struct {
	ID, Name, Mimetype string
	Data               []byte
}

// Call is one Web API call the simulator answered.
type Call struct {
	Method     string    `json:"method"`
	Status     int       `json:"status"`
	Error      string    `json:"error,omitempty"`
	RetryAfter int       `json:"retry_after,omitempty"`
	At         time.Time `json:"at"`
}

// Sim is the simulated workspace.
type Sim struct {
	cfg Config
	simkit.Endpoint
	faults simkit.Faults
	hooks  *simkit.Dispatcher

	mu    sync.Mutex
	users map[string]*User
	convs map[string]*Conversation
	order []string
	files map[string]*storedFile
	// eventsURL and actionsURL are the app's Event Subscriptions and
	// Interactivity request URLs.
	eventsURL, actionsURL string
	// events are the envelopes delivered, by event_id, for Replay.
	events map[string][]byte
	// inflight counts the deliveries queued, being made, or waiting for
	// the time of their retry.
	inflight int
	// buckets are the chat.postMessage budgets per channel.
	buckets map[string]*bucket
	calls   []Call
	forge   bool
	stale   bool
	lastTS  time.Time
	ids     simkit.IDs
	changed chan struct{}
}

// New returns a simulator; Start serves it (or serve it yourself: it is an
// http.Handler).
func New(cfg Config) *Sim {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&cfg.BotToken, DefaultBotToken)
	def(&cfg.SigningSecret, DefaultSigningSecret)
	simkit.Defaults(&cfg.Now, &cfg.Log)
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 3 * time.Second
	}
	if cfg.RetryDelays == nil {
		cfg.RetryDelays = []time.Duration{0, time.Minute, 5 * time.Minute}
	}
	if cfg.ChannelBurst <= 0 {
		cfg.ChannelBurst = 10
	}
	s := &Sim{cfg: cfg, users: map[string]*User{}, convs: map[string]*Conversation{}, files: map[string]*storedFile{}, events: map[string][]byte{},
		buckets: map[string]*bucket{}, ids: simkit.IDs{}, changed: make(chan struct{})}
	s.addConv(&Conversation{ID: General, Name: "general", Member: true})
	// One delivery at a time, in order: a failed one is retried on its own
	// schedule (retry), not holding the others back.
	s.hooks = simkit.NewDispatcher(simkit.DispatcherConfig{Timeout: cfg.AckTimeout, Seed: cfg.Seed, Done: s.delivered})
	return s
}

// Start serves the simulator on Config.Addr.
func (s *Sim) Start() error { return s.Listen("slack", s.cfg.Addr, s, s.cfg.Log) }

// Close stops serving and the deliveries.
func (s *Sim) Close() {
	s.hooks.Stop()
	s.StopServing()
}

// Config is the configuration, defaults filled.
func (s *Sim) Config() Config { return s.cfg }

// ServeHTTP routes: /api/<method> the Web API, /files-pri/… the private
// downloads, /_sim/… the console's control API, / the console.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/" && r.Method == http.MethodGet:
		serveConsole(w)
	case strings.HasPrefix(path, "/_sim/"):
		s.serveControl(w, r, strings.TrimPrefix(path, "/_sim"))
	case strings.HasPrefix(path, "/files-pri/"):
		s.serveFile(w, r, strings.TrimPrefix(path, "/files-pri/"))
	case strings.HasPrefix(path, "/actions/") && r.Method == http.MethodPost:
		s.serveResponseURL(w, r, strings.TrimPrefix(path, "/actions/"))
	case strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r, strings.TrimPrefix(path, "/api/"))
	default:
		http.NotFound(w, r)
	}
}

// addConv adds a conversation; s.mu is held or the simulator is new.
func (s *Sim) addConv(c *Conversation) {
	s.convs[c.ID] = c
	s.order = append(s.order, c.ID)
}

// AddUser adds a person with their DM with the app; the fields left empty
// are made (an id U…, a DM D…, a name). A user that exists is returned as
// it is.
func (s *Sim) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.users[u.ID]; ok {
		return *old
	}
	n := s.ids.Next("user")
	if u.ID == "" {
		u.ID = fmt.Sprintf("U%08d", n)
	}
	if u.DM == "" {
		u.DM = fmt.Sprintf("D%08d", n)
	}
	if u.Name == "" {
		u.Name = "user" + fmt.Sprint(n)
	}
	s.users[u.ID] = &u
	s.addConv(&Conversation{ID: u.DM, Name: u.Name, IM: true, User: u.ID, Member: true})
	s.notify()
	return u
}

// AddChannel adds a public channel, with the bot in it or not, and
// returns its id.
func (s *Sim) AddChannel(name string, member bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("C%08d", s.ids.Next("channel"))
	s.addConv(&Conversation{ID: id, Name: name, Member: member})
	s.notify()
	return id
}

// Conversation returns a copy of a conversation.
func (s *Sim) Conversation(id string) (Conversation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[id]
	if !ok {
		return Conversation{}, false
	}
	out := *c
	out.Messages = append([]Message(nil), c.Messages...)
	return out, true
}

// Calls are the Web API calls answered so far.
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// nextTS is a message ts, increasing. s.mu is held.
func (s *Sim) nextTS() string {
	now := s.cfg.Now()
	if !now.After(s.lastTS) {
		now = s.lastTS.Add(time.Microsecond)
	}
	s.lastTS = now
	return fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
}

// notify wakes whoever waits for a change. s.mu is held.
func (s *Sim) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// bucket is a channel's chat.postMessage budget: Burst at once, then one
// a second.
type bucket struct {
	tokens float64
	at     time.Time
}

// take spends one message of a channel's budget, or says how long until
// there is one. s.mu is held.
func (s *Sim) take(channel string) time.Duration {
	now := s.cfg.Now()
	b, ok := s.buckets[channel]
	if !ok {
		b = &bucket{tokens: float64(s.cfg.ChannelBurst), at: now}
		s.buckets[channel] = b
	}
	b.tokens = min(float64(s.cfg.ChannelBurst), b.tokens+now.Sub(b.at).Seconds())
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) * float64(time.Second))
	}
	b.tokens--
	return 0
}
