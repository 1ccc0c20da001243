package app

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/admin"
	"switchboard/apidoc"
	"switchboard/obs"

	"switchboard/httpx"
	"switchboard/internal/favicon"
	"switchboard/livechat/desk"
	"switchboard/webapp"
)

// routes mounts every HTTP edge on one mux, behind panic recovery, the
// bound on the time a body takes, and the reserve of connections kept for
// probes, the desk and the administration.
func (a *App) routes(secret []byte) http.Handler {
	mux := http.NewServeMux()
	chat := webapp.New(webapp.Config{
		Store: a.Store, Engine: a.Engine, Subscriber: a.Hub, Secret: secret,
		Clock: a.cfg.Clock, Log: a.log, Pushed: a.metrics.Pushed, Base: a.connsCtx, Attachments: a.attachments, Languages: a.languages,
	})
	mux.Handle("/chat/", chat)
	mux.Handle("/webapp/", chat)
	mux.Handle("/v1/webapp/", chat)
	signIn := desk.NewSignIn(a.Store, a.cfg.Clock, a.log, strings.HasPrefix(a.cfg.PublicURL, "https://"))
	mux.Handle("/desk/", desk.NewHandler(desk.Config{
		Store: a.Store, Engine: a.Engine, Subscriber: a.Hub, Sealer: a.keyring, Clock: a.cfg.Clock, Log: a.log, SignIn: signIn,
		Attachments: a.attachments,
		Languages:   a.languages,
	}))
	mux.Handle("GET "+switchboard.AttachmentPath+"{id}/{name}", a.attachments)
	mux.Handle("/v1/api/", a.api)
	mux.Handle("/v1/engine/", a.api)
	administration := admin.New(admin.Config{
		Store: a.Store, Engine: a.Engine, Livechat: a.Livechat, Sealer: a.keyring, SignIn: signIn,
		Token: a.adminToken, PublicURL: a.URL(), ReceiveURL: a.receiveURL, KeyRotated: a.keyRotated, Channels: a.channels,
		Notifier: a.Hub, BotLimits: a.cfg.BotImport, Clock: a.cfg.Clock, Log: a.log, Modules: a.modules,
		Languages: a.languages,
	})
	mux.Handle("/admin", administration)
	mux.Handle("/admin/", administration)
	mux.Handle("/v1/admin/", administration)
	mux.Handle("GET /v1/openapi.json", apidoc.Handler())
	for _, p := range favicon.Paths {
		mux.Handle("GET "+p, favicon.Handler())
	}
	for _, p := range a.platforms {
		for pattern, h := range p.routes {
			mux.Handle(pattern, a.metrics.Webhook(p.name, h))
		}
	}
	for pattern, h := range a.channels.Routes() {
		mux.Handle(pattern, a.metrics.Webhook("channel", h))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.metrics.Handler())
	mux.HandleFunc("GET /{$}", a.index)
	return httpx.BodyTimeout(time.Duration(a.cfg.BodyTimeout), obs.Middleware(httpx.Reserved(reserved, httpx.Recover(a.log, httpx.CheckPath(a.log, mux)))))
}

// keyRotated stops trusting a channel's old API key at once here, and in
// the other instances when the notification reaches them.
func (a *App) keyRotated(oldKey string) {
	a.api.ForgetKey(oldKey)
	a.Hub.Notify(switchboard.TopicChannels)
}

// indexPage lists the bots with their chat pages, and the desk: the first
// page a newcomer opens.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>switchboard</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
a{color:#2454d6}li{margin:.4rem 0}code{background:#eef1f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>switchboard</h1>
<p>CSML bots with a handoff to human agents.</p>
<h2>Chat pages</h2>
{{if .Bots}}<ul>{{range .Bots}}<li><a href="{{.URL}}">{{.Name}}</a> <code>{{.ID}}</code></li>{{end}}</ul>
{{else}}<p>No bot is loaded. Start with <code>switchboard serve --bot PATH</code>.</p>{{end}}
<h2>Agents</h2>
<p><a href="/desk/">Agent desk</a>: where agents answer livechat sessions.</p>
<h2>Administration</h2>
<p><a href="/admin/">Administration</a>: bots, channels, livechat settings, sessions, agents.
Developers: the <a href="/v1/openapi.json">OpenAPI document</a> of the Chat API and the admin API.</p>
</body></html>`))

func (a *App) index(w http.ResponseWriter, r *http.Request) {
	type bot struct{ ID, Name, URL string }
	var bots []bot
	for _, b := range a.Engine.Bots().List() {
		id := b.Version.Bot.ID
		url, err := a.ChatURL(r.Context(), id)
		if err != nil {
			continue
		}
		bots = append(bots, bot{ID: id, Name: b.Version.Bot.Name, URL: url})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = indexPage.Execute(w, struct{ Bots []bot }{bots})
}
