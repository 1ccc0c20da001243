package webapp

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// files holds the page's templates and the assets served as they are.
//
//go:embed static templates
var files embed.FS

var templates = template.Must(template.ParseFS(files, "templates/*.html"))

// asset is one embedded file ready to serve, with an ETag of its content so
// browsers revalidate cheaply and never run a stale script after an upgrade.
type asset struct {
	body  []byte
	etag  string
	ctype string
}

// loadAssets reads every file of static/.
func loadAssets() map[string]asset {
	out := make(map[string]asset)
	entries, _ := fs.ReadDir(files, "static") // the directory is embedded: it exists
	for _, e := range entries {
		body, _ := fs.ReadFile(files, "static/"+e.Name())
		out[e.Name()] = asset{
			body:  body,
			etag:  etagOf(body),
			ctype: mime.TypeByExtension(path.Ext(e.Name())),
		}
	}
	return out
}

// serveAsset answers with an embedded file, or 404.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := h.assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", a.etag)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

// serveStatic answers GET /webapp/static/{file}.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	h.serveAsset(w, r, r.PathValue("file"))
}

// serveWidget answers GET /webapp/widget.js, the script a site embeds.
func (h *Handler) serveWidget(w http.ResponseWriter, r *http.Request) {
	h.serveAsset(w, r, "widget.js")
}

// text is a page's language: its code and what translates to it.
type text struct {
	Lang    string
	catalog *i18n.Catalog
}

// T translates an English text of the page.
func (x text) T(s string) string { return x.catalog.T(x.Lang, s) }

// Messages are the translations the page's scripts use.
func (x text) Messages() map[string]string { return x.catalog.Messages(x.Lang) }

// pageData is what the chat page template reads.
type pageData struct {
	botConfig
	text
	Look  look
	Embed bool
	// MaxText is the longest text message the server takes, which the
	// page's message box shows and enforces.
	MaxText int
	// MaxFile is the largest file the server takes, in bytes; 0 when it
	// takes none (the page then has no attach button).
	MaxFile int64
}

// servePage answers GET /chat/{channel}: the chat page, or a 404 page.
func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	embed := r.URL.Query().Get("embed") == "1"
	setPageHeaders(w, embed)
	ch, bot, err := h.lookup(r.Context(), r.PathValue("channel"))
	if err != nil {
		// A link that cannot be a channel's (400) reads as one that is
		// not (404): the link is wrong either way.
		status := httpx.Status(switchboard.ErrorCode(err))
		if status >= http.StatusInternalServerError {
			h.log.Error("webapp: chat page", "channel", r.PathValue("channel"), "err", err)
		}
		h.render(w, status, "notfound.html", text{Lang: h.catalog.Match(r.Header.Get("Accept-Language")), catalog: h.catalog})
		return
	}
	l, err := h.lookOf(r.Context(), ch, bot)
	if err != nil {
		h.log.Error("webapp: chat page", "channel", ch.ID, "err", err)
		h.render(w, http.StatusInternalServerError, "notfound.html", text{Lang: i18n.Default, catalog: h.catalog})
		return
	}
	data := pageData{botConfig: configOf(ch, bot), text: text{Lang: l.Language, catalog: h.catalog},
		Look: l, Embed: embed, MaxText: MaxTextChars}
	if h.files != nil {
		data.MaxFile = h.files.MaxBytes()
	}
	h.render(w, http.StatusOK, "chat.html", data)
}

// render executes a template into a buffer first, so a failure is a clean 500.
func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		h.log.Error("webapp: render page", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// setPageHeaders forbids inline scripts (message text can never run, even if
// a rendering bug let markup through), and lets any site frame the embedded
// page, which is the widget's purpose, but only this origin frame the page.
func setPageHeaders(w http.ResponseWriter, embed bool) {
	ancestors := "'self'"
	if embed {
		ancestors = "*"
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' https: http: data:; media-src 'self' https: http:; connect-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "+ancestors)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cache-Control", "no-store")
}
