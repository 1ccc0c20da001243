package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"switchboard"
	"switchboard/botfile"
	"switchboard/channel"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/i18n"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// Config holds the administration's collaborators; Clock and Log may be nil.
type Config struct {
	Store  switchboard.Store
	Engine *engine.Engine
	// Livechat saves livechat settings; its Providers are the platforms
	// this server offers.
	Livechat livechat.Configurer
	// Sealer seals the API secrets of channels.
	Sealer livechat.Sealer
	// Channels sets up messaging channels (WhatsApp, ...); nil offers
	// none.
	Channels *channel.Layer
	// SignIn is the agents' sign-in, shared with the desk.
	SignIn *desk.SignIn
	// Token is the admin token that scripts send as a bearer token.
	Token string
	// PublicURL is how users and platforms reach this server.
	PublicURL string
	// ReceiveURL builds, for platforms that call switchboard, the URL to
	// paste into the platform (token included).
	ReceiveURL func(platform, token string) (string, bool)
	// KeyRotated, when set, is told the old key of a channel whose keys
	// were rotated, so that the Chat API stops trusting it at once.
	KeyRotated func(oldKey string)
	// Notifier, when set, is told TopicBots after a bot changed, so that
	// every instance runs the bot's new version.
	Notifier switchboard.Notifier
	// BotLimits bound an uploaded bot; zero fields take their defaults.
	BotLimits botfile.Limits
	// Modules downloads the modules an imported bot gives by URL; nil
	// reaches public addresses only.
	Modules *botfile.ModuleFetcher
	// Languages are what the chat pages can speak; nil means the shipped
	// ones.
	Languages *i18n.Catalog
	Clock     switchboard.Clock
	Log       *slog.Logger
}

// CookiePath is the path of the administration's sign-in cookie: its API,
// which the pages at /admin/ call. A desk sign-in (cookie path /desk) does
// not reach it: an administrator signs in to each.
const CookiePath = "/v1/admin"

// maxBody bounds request bodies: settings and changes are small (a bot
// export is bounded by BotLimits).
const maxBody = 64 << 10

//go:embed web
var webFiles embed.FS

type handler struct {
	Config
	tokenSum [sha256.Size]byte
	// importing holds the one bot import running (see upload).
	importing chan struct{}
}

// New returns the administration: the pages at /admin/ and the API under
// /v1/admin/. Mount it at both prefixes.
func New(cfg Config) http.Handler {
	if cfg.Clock == nil {
		cfg.Clock = switchboard.SystemClock{}
	}
	if cfg.Languages == nil {
		cfg.Languages = i18n.Shipped()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.BotLimits = cfg.BotLimits.WithDefaults()
	if cfg.Modules == nil {
		cfg.Modules = botfile.NewModuleFetcher(nil)
	}
	h := &handler{Config: cfg, tokenSum: sha256.Sum256([]byte(cfg.Token)), importing: make(chan struct{}, 1)}
	assets, _ := fs.Sub(webFiles, "web") // the embedded directory always exists
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /admin/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, assets, "index.html")
	})
	mux.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", http.FileServerFS(assets)))

	mux.HandleFunc("POST /v1/admin/login", cfg.SignIn.Login(CookiePath))
	mux.Handle("POST /v1/admin/logout", cfg.SignIn.Require(cfg.SignIn.Logout(CookiePath)))
	mux.Handle("GET /v1/admin/me", cfg.SignIn.Require(cfg.SignIn.Me))

	routes := map[string]http.HandlerFunc{
		"GET /v1/admin/bots":                                   h.listBots,
		"POST /v1/admin/bots":                                  h.importBot,
		"POST /v1/admin/bots/validate":                         h.validateBot,
		"GET /v1/admin/bots/{id}":                              h.getBot,
		"DELETE /v1/admin/bots/{id}":                           h.deleteBot,
		"GET /v1/admin/bots/{id}/versions":                     h.botVersions,
		"POST /v1/admin/bots/{id}/versions/{version}/activate": h.activateVersion,
		"GET /v1/admin/bots/{id}/livechat":                     h.getLivechat,
		"PUT /v1/admin/bots/{id}/livechat":                     h.putLivechat,
		"GET /v1/admin/bots/{id}/appearance":                   h.getAppearance,
		"PUT /v1/admin/bots/{id}/appearance":                   h.putAppearance,
		"GET /v1/admin/bots/{id}/smtp":                         h.getSMTP,
		"PUT /v1/admin/bots/{id}/smtp":                         h.putSMTP,
		"DELETE /v1/admin/bots/{id}/smtp":                      h.deleteSMTP,
		"GET /v1/admin/channels":                               h.listChannels,
		"POST /v1/admin/channels":                              h.createChannel,
		"POST /v1/admin/channels/{id}/rotate":                  h.rotateChannel,
		"DELETE /v1/admin/channels/{id}":                       h.deleteChannel,
		"PUT /v1/admin/channels/{id}":                          h.editChannel,
		"POST /v1/admin/channels/{id}/check":                   h.checkChannel,
		"GET /v1/admin/channel-types":                          h.listChannelTypes,
		"PUT /v1/admin/channels/{id}/multibot":                 h.setMultibot,
		"GET /v1/admin/sessions":                               h.listSessions,
		"GET /v1/admin/sessions/{id}":                          h.getSession,
		"POST /v1/admin/sessions/{id}/end":                     h.endSession,
		"GET /v1/admin/agents":                                 h.listAgents,
		"POST /v1/admin/agents":                                h.inviteAgent,
		"PATCH /v1/admin/agents/{id}":                          h.changeAgent,
		"POST /v1/admin/agents/{id}/signout":                   h.signOutAgent,
		"POST /v1/admin/agents/{id}/password":                  h.resetPassword,
		"GET /v1/admin/stats":                                  h.stats,
		"GET /v1/admin/csat":                                   h.csat,
		"GET /v1/admin/stats/queue":                            h.queueStats,
		"GET /v1/admin/sessions/export":                        h.exportSessions,
		"GET /v1/admin/teams":                                  h.listTeams,
		"PUT /v1/admin/teams/{id}":                             h.putTeam,
		"DELETE /v1/admin/teams/{id}":                          h.deleteTeam,
	}
	for pattern, fn := range routes {
		mux.Handle(pattern, h.admin(fn))
	}
	mux.HandleFunc("/v1/admin/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "no admin API at %s %s: see /v1/openapi.json", r.Method, r.URL.Path))
	})
	return securityHeaders(mux)
}

// admin admits an administrator's request: the admin token as a bearer
// token, or the sign-in of an agent marked Admin.
func (h *handler) admin(fn http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
			if !ok || h.Token == "" || subtle.ConstantTimeCompare(sum[:], h.tokenSum[:]) != 1 {
				h.fail(w, r, switchboard.Errorf(switchboard.EUNAUTHORIZED, "wrong admin token: send Authorization: Bearer TOKEN with the token of the server's admin.token file (or SWITCHBOARD_ADMIN_TOKEN)"))
				return
			}
			fn(w, r)
			return
		}
		c, err := h.SignIn.Check(r)
		if switchboard.ErrorCode(err) == switchboard.EUNAUTHORIZED {
			err = switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s: sign in as an administrator, or send Authorization: Bearer TOKEN", switchboard.ErrorMessage(err))
		}
		if err == nil && !c.Agent.Admin {
			err = switchboard.Errorf(switchboard.EFORBIDDEN, "%s is not an administrator: an administrator can make them one", c.Agent.Email)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		fn(w, r)
	})
}

// securityHeaders keeps the pages out of frames and other origins' reach, and
// lets them run only their own scripts and styles.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// fail answers with an application error as JSON.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, h.Log, err)
}
