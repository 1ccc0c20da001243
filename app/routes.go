package app

import (
	"html/template"
	"net/http"

	"switchboard/httpx"
	"switchboard/livechat/desk"
	"switchboard/webapp"
)

// routes mounts every HTTP edge on one mux, behind panic recovery.
func (a *App) routes(secret []byte) http.Handler {
	mux := http.NewServeMux()
	chat := webapp.New(webapp.Config{
		Store: a.Store, Engine: a.Engine, Subscriber: a.Hub, Secret: secret,
		Clock: a.cfg.Clock, Log: a.log,
	})
	mux.Handle("/chat/", chat)
	mux.Handle("/webapp/", chat)
	mux.Handle("/v1/webapp/", chat)
	mux.Handle("/desk/", desk.NewHandler(desk.Config{
		Store: a.Store, Engine: a.Engine, Subscriber: a.Hub, Clock: a.cfg.Clock, Log: a.log,
		SecureCookies: len(a.cfg.PublicURL) > 8 && a.cfg.PublicURL[:8] == "https://",
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /{$}", a.index)
	return httpx.Recover(a.log, mux)
}

// indexPage lists the bots with their chat pages, and the desk: the first
// page a newcomer opens.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>switchboard</title>
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
