package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"switchboard"
	"switchboard/attachment"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/netpolicy"
	"switchboard/livechat"
)

// Config holds the Chat API's collaborators. Store, Engine and Sealer are
// required; the rest have working zero values.
type Config struct {
	Store  switchboard.Store
	Engine *engine.Engine
	// Notifier, when set, is told TopicBots after a Bot API build, so that
	// every instance runs the new version.
	Notifier switchboard.Notifier
	// Sealer opens the API secrets of channels (secrets.Keyring).
	Sealer livechat.Sealer
	Clock  switchboard.Clock // nil means the real clock
	Log    *slog.Logger      // nil discards logs
	// CallbackTimeout bounds one callback POST (default 10s); a receiver
	// slower than that is tried again later.
	CallbackTimeout time.Duration
	// CallbackAllow lists the non-public addresses callbacks may reach
	// anyway (an app on the same host or network); by default only public
	// addresses are called.
	CallbackAllow []netpolicy.Rule
	// Rate is how many requests a second each API channel may send (0 means
	// DefaultRate, CSML Studio's; a negative rate turns the limit off).
	Rate int
	// EngineKeys are the keys of the CSML engine server API (EnginePrefix);
	// none turns it off.
	EngineKeys []string
	// Attachments receives the files API clients send for their users; nil
	// refuses uploads.
	Attachments *attachment.Service
}

// Limits of the API.
const (
	// maxBody bounds a request body: an event's content may weigh 64 KiB,
	// its metadata as much again.
	maxBody = 256 << 10
	// maxCallbackAge is how long a message is retried to its callback URL
	// before it is given up (it stays readable in the history).
	maxCallbackAge = 24 * time.Hour
)

// API serves the Chat API and delivers its callbacks.
type API struct {
	store  switchboard.Store
	engine *engine.Engine
	sealer livechat.Sealer
	clock  switchboard.Clock
	log    *slog.Logger
	client *http.Client
	// callbacks is the address policy of callback URLs.
	callbacks netpolicy.Policy
	mux       *http.ServeMux
	keys      keyMemo
	limit     throttle
	// notifier is told of builds (Config.Notifier); nil in tests of one
	// instance.
	notifier   switchboard.Notifier
	engineKeys []string
	files      *attachment.Service
}

// New returns the Chat API with its routes:
//
//	POST /v1/api/chat                  an event of a user; the bot's replies
//	POST /v1/api/broadcasts            a flow_trigger nobody waits for
//	POST /v1/api/conversations/open    whether a user has an open conversation
//	POST /v1/api/conversations/close   close it
//	GET  /v1/api/messages              a user's history, paginated
//	POST /v1/api/attachments           a user's file to send (attachments.go)
//	/v1/api/bot...                     the Bot API (bot.go), signed only
//	/v1/api/webhook                    the channel's webhook, signed only
//	/v1/engine/...                     the CSML engine server API (engineapi.go)
func New(cfg Config) *API {
	a := &API{store: cfg.Store, engine: cfg.Engine, sealer: cfg.Sealer, clock: cfg.Clock, log: cfg.Log, notifier: cfg.Notifier, engineKeys: cfg.EngineKeys, files: cfg.Attachments}
	if a.clock == nil {
		a.clock = switchboard.SystemClock{}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.limit = throttle{clock: a.clock, rate: cfg.Rate}
	if cfg.Rate == 0 {
		a.limit.rate = DefaultRate
	}
	timeout := cfg.CallbackTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	a.callbacks = netpolicy.Policy{Allow: cfg.CallbackAllow}
	a.client = &http.Client{
		// Every connection is checked where it is dialled: no internal
		// address unless allowed, whatever the name resolves to.
		Transport: a.callbacks.Transport(timeout),
		Timeout:   timeout,
		// A redirect is never followed: it is an answer that gives up the
		// message (see post), so a receiver cannot send it elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	mux := http.NewServeMux()
	mux.Handle("POST /v1/api/chat", cors(a.authenticated(a.chat)))
	mux.Handle("OPTIONS /v1/api/chat", cors(nil))
	mux.Handle("POST /v1/api/broadcasts", cors(a.authenticated(a.broadcast)))
	mux.Handle("OPTIONS /v1/api/broadcasts", cors(nil))
	mux.Handle("POST /v1/api/attachments", cors(a.uploading(a.upload)))
	mux.Handle("OPTIONS /v1/api/attachments", cors(nil))
	mux.Handle("POST /v1/api/conversations/open", a.authenticated(a.private(a.openConversation)))
	mux.Handle("POST /v1/api/conversations/close", a.authenticated(a.private(a.closeConversation)))
	mux.Handle("GET /v1/api/messages", a.authenticated(a.private(a.messages)))
	for route, fn := range map[string]handlerFunc{
		"GET /v1/api/bot":            a.getBot,
		"PUT /v1/api/bot":            a.putBot,
		"GET /v1/api/bot/flows":      a.listFlows,
		"POST /v1/api/bot/flows":     a.createFlow,
		"GET /v1/api/bot/flows/{id}": a.getFlow,
		"PUT /v1/api/bot/flows/{id}": a.putFlow,
		"POST /v1/api/bot/validate":  a.validateBot,
		"POST /v1/api/bot/build":     a.build,
		"GET /v1/api/bot/build":      a.getBuild,
		"GET /v1/api/bot/usage":      a.usage,
		"GET /v1/api/webhook":        a.getWebhook,
		"PUT /v1/api/webhook":        a.putWebhook,
	} {
		mux.Handle(route, a.authenticated(a.private(fn)))
	}
	a.engineRoutes(mux)
	mux.HandleFunc("/v1/api/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "no Chat API at %s %s: see /v1/openapi.json", r.Method, r.URL.Path))
	})
	a.mux = mux
	return a
}

// ServeHTTP serves the routes of New.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// cors lets pages of any origin call a public endpoint: it authenticates
// with a header, never a cookie, so no origin gains anything it could not
// do from a server. A nil next answers the preflight request.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if next == nil {
			h.Set("Access-Control-Allow-Methods", "POST")
			h.Set("Access-Control-Allow-Headers", "Content-Type, X-Api-Key, X-Api-Signature")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers with an application error as JSON.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, a.log, err)
}
