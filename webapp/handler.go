package webapp

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"switchboard"
	"switchboard/attachment"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// Config holds the webapp's collaborators. Store, Engine and Subscriber are
// required; the other fields have working zero values.
type Config struct {
	Store      switchboard.Store
	Engine     *engine.Engine
	Subscriber switchboard.Subscriber
	// Secret is the HMAC key of visitor tokens. It must persist across
	// restarts, or every visitor becomes a stranger; when empty a random key
	// is used for the life of the process (and a warning logged).
	Secret []byte
	Clock  switchboard.Clock // nil means the real clock
	Log    *slog.Logger      // nil discards logs
	// MaxFrameBytes bounds one WebSocket frame from a page; 0 means 64 KiB.
	MaxFrameBytes int64
	// Pushed, when set, is called for each message sent to a page as it
	// arrived (not the history sent on connecting), for monitoring.
	Pushed func(m *switchboard.Message)
	// Base, when set, ends every live connection when it is done, as Close
	// does: the app passes the context it cancels when it shuts down (the
	// one its server's BaseContext returns). A page's connection outlives
	// the request that opened it, so the request's context cannot say it.
	Base context.Context
	// Attachments receives the files visitors send; nil refuses uploads.
	Attachments *attachment.Service
	// Languages are what the pages can speak; nil means the shipped ones.
	Languages *i18n.Catalog
}

// Timings of a live connection.
const (
	pingInterval  = 25 * time.Second // how often the server pings a page
	pingTimeout   = 15 * time.Second // a page that does not answer in time is gone
	writeTimeout  = 10 * time.Second // one frame must be written within this
	handleTimeout = time.Minute      // one event may take this long to process
)

// Handler serves the chat page, its assets, the widget, and the webapp API.
type Handler struct {
	store    switchboard.Store
	engine   *engine.Engine
	sub      switchboard.Subscriber
	secret   []byte
	clock    switchboard.Clock
	log      *slog.Logger
	maxFrame int64
	pushed   func(m *switchboard.Message)
	files    *attachment.Service
	assets   map[string]asset
	catalog  *i18n.Catalog
	root     http.Handler
	// pingEvery and pingTimeout are the heartbeat's (tests shorten them).
	pingEvery, pingTimeout time.Duration

	// base is cancelled by Close, or when Config.Base ends, which ends
	// every live connection (see goAway).
	base   context.Context
	pages  pages
	stop   context.CancelFunc
	mu     sync.Mutex // guards closed and the Add of conns
	closed bool
	conns  sync.WaitGroup
}

// New returns a handler for the routes:
//
//	GET  /chat/{channel}                 the chat page (?embed=1 inside the widget)
//	GET  /webapp/static/{file}           its scripts and styles
//	GET  /webapp/widget.js               the embeddable widget
//	GET  /v1/webapp/{channel}/config     {"channel_id","bot_id","bot_name","default_flow","appearance"}
//	GET  /v1/webapp/{channel}/theme.css  the bot's colours
//	GET  /v1/webapp/{channel}/logo       the bot's uploaded logo
//	POST /v1/webapp/{channel}/visitors   {"user_id","token"}
//	GET  /v1/webapp/{channel}/ws         the WebSocket (?user_id=&token=&after=)
//	POST /v1/webapp/{channel}/attachments a file to send (?user_id=&token=)
func New(cfg Config) *Handler {
	h := &Handler{
		store: cfg.Store, engine: cfg.Engine, sub: cfg.Subscriber,
		secret: cfg.Secret, clock: cfg.Clock, log: cfg.Log, maxFrame: cfg.MaxFrameBytes, pushed: cfg.Pushed,
		files: cfg.Attachments, assets: loadAssets(), pingEvery: pingInterval, pingTimeout: pingTimeout, catalog: cfg.Languages,
	}
	if h.catalog == nil {
		h.catalog = i18n.Shipped()
	}
	if h.clock == nil {
		h.clock = switchboard.SystemClock{}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxFrame <= 0 {
		h.maxFrame = 64 << 10
	}
	if len(h.secret) == 0 {
		h.secret = make([]byte, 32)
		_, _ = rand.Read(h.secret) // crypto/rand.Read never fails
		h.log.Warn("webapp: no visitor secret configured: visitors are forgotten when the process restarts")
	}
	base := cfg.Base
	if base == nil {
		base = context.Background()
	}
	h.base, h.stop = context.WithCancel(base)
	context.AfterFunc(h.base, h.goAway)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /chat/{channel}", h.servePage)
	mux.HandleFunc("GET /webapp/static/{file}", h.serveStatic)
	mux.HandleFunc("GET /webapp/widget.js", h.serveWidget)
	mux.HandleFunc("GET /v1/webapp/{channel}/config", h.serveConfig)
	mux.HandleFunc("GET /v1/webapp/{channel}/theme.css", h.serveTheme)
	mux.HandleFunc("GET /v1/webapp/{channel}/logo", h.serveLogo)
	mux.HandleFunc("POST /v1/webapp/{channel}/visitors", h.serveVisitors)
	mux.HandleFunc("GET /v1/webapp/{channel}/ws", h.serveSocket)
	mux.HandleFunc("POST /v1/webapp/{channel}/attachments", h.serveUpload)
	h.root = httpx.Recover(h.log, mux)
	return h
}

// ServeHTTP serves the routes listed in New.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.root.ServeHTTP(w, r) }

// Close ends every live connection with "going away", so pages reconnect (to
// another instance, or to this one once it is back), and waits for them.
func (h *Handler) Close() error {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.stop()
	h.conns.Wait()
	return nil
}

// track counts a new connection, unless the handler is closed.
func (h *Handler) track() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.base.Err() != nil {
		return false
	}
	h.conns.Add(1)
	return true
}

// lookup returns a webapp channel and its loaded bot. An id that cannot be
// one is EINVALID; anything else, a channel of another type included, is
// ENOTFOUND.
func (h *Handler) lookup(ctx context.Context, channelID string) (*switchboard.Channel, *engine.Bot, error) {
	if err := switchboard.CheckChannelID("the channel id", channelID); err != nil {
		return nil, nil, err
	}
	var ch *switchboard.Channel
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		ch, err = tx.Channel(ctx, channelID)
		return err
	})
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND || (err == nil && ch.Type != switchboard.ChannelWebapp) {
		return nil, nil, switchboard.Errorf(switchboard.ENOTFOUND, "there is no webapp channel %q", channelID)
	}
	if err != nil {
		return nil, nil, err
	}
	bot, ok := h.engine.Bots().Get(ch.BotID)
	if !ok {
		return nil, nil, switchboard.Errorf(switchboard.ENOTFOUND, "the bot of webapp channel %q is not loaded", channelID)
	}
	return ch, bot, nil
}

// botConfig is what a page needs to know of its channel's bot.
type botConfig struct {
	ChannelID   string      `json:"channel_id"`
	BotID       string      `json:"bot_id"`
	BotName     string      `json:"bot_name"`
	DefaultFlow string      `json:"default_flow"`
	Appearance  *widgetLook `json:"appearance,omitempty"`
}

// widgetLook is what the widget shows of the bot's appearance, its labels
// in the bot's language.
type widgetLook struct {
	Title      string `json:"title"`
	Accent     string `json:"accent"`
	AccentText string `json:"accent_text"`
	Launcher   string `json:"launcher"`
	Language   string `json:"language"`
	OpenLabel  string `json:"open_label"`
	CloseLabel string `json:"close_label"`
}

func configOf(ch *switchboard.Channel, bot *engine.Bot) botConfig {
	return botConfig{
		ChannelID: ch.ID, BotID: ch.BotID,
		BotName: bot.Version.Bot.Name, DefaultFlow: bot.Program.DefaultFlow(),
	}
}

// serveConfig answers GET /v1/webapp/{channel}/config. The widget reads it
// from the sites it is on: any origin may.
func (h *Handler) serveConfig(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	ch, bot, l, ok := h.channelLook(w, r)
	if !ok {
		return
	}
	cfg := configOf(ch, bot)
	tr := func(s string) string { return h.catalog.T(l.Language, s, "title", l.Title) }
	cfg.Appearance = &widgetLook{
		Title: l.Title, Accent: l.Accent, AccentText: l.AccentText, Launcher: l.Launcher, Language: l.Language,
		OpenLabel: tr("Open {title}"), CloseLabel: tr("Close {title}"),
	}
	httpx.WriteJSON(w, http.StatusOK, cfg)
}
