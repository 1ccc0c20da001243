package webapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/appearance"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// look is a channel's bot's appearance as its pages use it.
type look struct {
	appearance.Appearance
	// Title is the chat's name: the appearance's, or the bot's.
	Title string
}

// lookOf reads the appearance of a channel's bot, defaults in place, in a
// language the pages speak.
func (h *Handler) lookOf(ctx context.Context, ch *switchboard.Channel, bot *engine.Bot) (look, error) {
	var a appearance.Appearance
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		a, err = appearance.Load(ctx, tx, ch.BotID)
		return err
	})
	if err != nil {
		return look{}, fmt.Errorf("read the appearance: %w", err)
	}
	a = a.Resolved(i18n.Default)
	if !h.catalog.Has(a.Language) {
		a.Language = i18n.Default // its file was removed
	}
	l := look{Appearance: a, Title: a.Name}
	if l.Title == "" {
		l.Title = bot.Version.Bot.Name
	}
	return l, nil
}

// LogoURL is where the page finds the logo: an uploaded one is served by
// serveLogo, so the page's HTML does not carry it.
func (l look) LogoURL(channelID string) string {
	if strings.HasPrefix(l.Logo, "data:") {
		return "/v1/webapp/" + channelID + "/logo?v=" + etagOf([]byte(l.Logo))[1:9]
	}
	return l.Logo
}

// themeCSS is the stylesheet of a bot's colours. The accent is also the
// colour of links and outlines on the light page when it is readable on
// white; the dark page keeps its own.
func themeCSS(a appearance.Appearance) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, ":root {\n  --accent: %s;\n  --accent-text: %s;\n  --user: %s;\n  --user-text: %s;\n}\n", a.Accent, a.AccentText, a.Accent, a.AccentText)
	if appearance.Contrast(a.Accent, "#ffffff") >= appearance.MinContrast {
		fmt.Fprintf(&b, "@media (prefers-color-scheme: light) {\n  :root { --accent-fg: %s; }\n}\n", a.Accent)
	}
	return b.Bytes()
}

// serveTheme answers GET /v1/webapp/{channel}/theme.css.
func (h *Handler) serveTheme(w http.ResponseWriter, r *http.Request) {
	_, _, l, ok := h.channelLook(w, r)
	if !ok {
		return
	}
	serveBytes(w, r, "text/css; charset=utf-8", themeCSS(l.Appearance))
}

// serveLogo answers GET /v1/webapp/{channel}/logo: the uploaded logo, or 404
// when the bot has none (or gives it by URL).
func (h *Handler) serveLogo(w http.ResponseWriter, r *http.Request) {
	_, _, l, ok := h.channelLook(w, r)
	if !ok {
		return
	}
	rest, isData := strings.CutPrefix(l.Logo, "data:")
	mediaType, data, _ := strings.Cut(rest, ";base64,")
	img, err := base64.StdEncoding.DecodeString(data)
	if !isData || err != nil {
		httpx.WriteError(w, r, h.log, switchboard.Errorf(switchboard.ENOTFOUND, "the chat has no uploaded logo"))
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	serveBytes(w, r, mediaType, img) // checked when saved: an image of this type
}

// channelLook reads the channel, its bot and their look, or answers the
// error.
func (h *Handler) channelLook(w http.ResponseWriter, r *http.Request) (*switchboard.Channel, *engine.Bot, look, bool) {
	ch, bot, err := h.lookup(r.Context(), r.PathValue("channel"))
	var l look
	if err == nil {
		l, err = h.lookOf(r.Context(), ch, bot)
	}
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return nil, nil, l, false
	}
	return ch, bot, l, true
}

// serveBytes answers with a body that may change any time: revalidated by
// its ETag.
func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", etagOf(body))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// etagOf is a strong ETag of a body.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}
