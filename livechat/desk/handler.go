package desk

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"switchboard"
	"switchboard/attachment"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/i18n"
	"switchboard/livechat"
)

// Config holds what the desk's web side needs. Clock and Log may be nil.
type Config struct {
	Store      switchboard.Store
	Engine     *engine.Engine
	Subscriber switchboard.Subscriber
	// Sealer opens the bots' livechat settings, read for their transcript
	// length.
	Sealer livechat.Sealer
	Clock  switchboard.Clock // nil = real
	Log    *slog.Logger
	// SignIn is the sign-in shared with the administration pages; nil makes
	// one (with SecureCookies).
	SignIn *SignIn
	// SecureCookies sets the Secure flag on the sign-in cookie (when served
	// over https) of the sign-in made when SignIn is nil.
	SecureCookies bool
	// Attachments receives the files agents send; nil refuses uploads.
	Attachments *attachment.Service
	// Languages are what the desk can speak; nil means the shipped ones.
	Languages *i18n.Catalog
}

// maxBody bounds every JSON request body.
const maxBody = 64 << 10

//go:embed web
var webFiles embed.FS

// handler serves the desk page and its JSON API.
type handler struct {
	store   switchboard.Store
	engine  *engine.Engine
	sub     switchboard.Subscriber
	sealer  livechat.Sealer
	clock   switchboard.Clock
	log     *slog.Logger
	auth    *SignIn
	files   *attachment.Service
	catalog *i18n.Catalog
}

// NewHandler returns the desk: the page at /desk/ and its API under
// /desk/api/. Mount it at "/desk/" on the server's mux.
func NewHandler(cfg Config) http.Handler {
	h := &handler{
		store: cfg.Store, engine: cfg.Engine, sub: cfg.Subscriber, sealer: cfg.Sealer,
		clock: cfg.Clock, log: cfg.Log, auth: cfg.SignIn, files: cfg.Attachments, catalog: cfg.Languages,
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
	if h.auth == nil {
		h.auth = NewSignIn(h.store, h.clock, h.log, cfg.SecureCookies)
	}

	assets, _ := fs.Sub(webFiles, "web") // the embedded directory always exists
	mux := http.NewServeMux()
	mux.HandleFunc("GET /desk", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/desk/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /desk/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, assets, "index.html")
	})
	mux.Handle("GET /desk/static/", http.StripPrefix("/desk/static/", http.FileServerFS(assets)))

	mux.HandleFunc("GET /desk/api/languages/{code}", h.language)
	mux.HandleFunc("POST /desk/api/login", h.auth.Login(DeskPath))
	mux.Handle("POST /desk/api/logout", h.auth.Require(h.auth.Logout(DeskPath)))
	mux.Handle("GET /desk/api/me", h.auth.Require(h.auth.Me))
	mux.Handle("GET /desk/api/preferences", h.auth.Require(h.getPreferences))
	mux.Handle("PUT /desk/api/preferences", h.auth.Require(h.putPreferences))
	mux.Handle("GET /desk/api/events", h.auth.Require(h.events))
	mux.Handle("GET /desk/api/sessions", h.auth.Require(h.listSessions))
	mux.Handle("GET /desk/api/sessions/{id}", h.auth.Require(h.sessionDetail))
	mux.Handle("GET /desk/api/sessions/{id}/messages", h.auth.Require(h.sessionMessages))
	mux.Handle("POST /desk/api/sessions/{id}/claim", h.auth.Require(h.claim))
	mux.Handle("POST /desk/api/sessions/{id}/reply", h.auth.Require(h.reply))
	mux.Handle("POST /desk/api/sessions/{id}/attachments", h.auth.Require(h.attach))
	mux.Handle("POST /desk/api/sessions/{id}/signoff", h.auth.Require(h.signOff))
	mux.Handle("POST /desk/api/sessions/{id}/close", h.auth.Require(h.closeSession))
	mux.Handle("POST /desk/api/sessions/{id}/typing", h.auth.Require(h.typing))
	mux.Handle("GET /desk/api/presence", h.auth.Require(h.presence))
	mux.Handle("PUT /desk/api/presence", h.auth.Require(h.setPresence))
	mux.Handle("POST /desk/api/sessions/{id}/transfer", h.auth.Require(h.transfer))
	mux.Handle("GET /desk/api/teams", h.auth.Require(h.listTeams))
	mux.Handle("GET /desk/api/saved-replies", h.auth.Require(h.listSavedReplies))
	mux.Handle("POST /desk/api/saved-replies", h.auth.Require(h.createSavedReply))
	mux.Handle("DELETE /desk/api/saved-replies/{id}", h.auth.Require(h.deleteSavedReply))
	mux.HandleFunc("/desk/api/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "no desk API at %s %s", r.Method, r.URL.Path))
	})
	return httpx.Recover(h.log, securityHeaders(mux))
}

// securityHeaders keeps the page out of frames and other origins' reach, and
// lets it run only its own scripts and styles.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// fail answers with an application error as JSON.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, h.log, err)
}
