package admin_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/internal/browsertest"
)

// png1x1 is a 1×1 PNG.
var png1x1, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

type appearanceView struct {
	BotID      string            `json:"bot_id"`
	Appearance map[string]string `json:"appearance"`
	Defaults   map[string]string `json:"defaults"`
	Languages  []struct{ Code, Name string }
}

// TestBotAppearance: an administrator sets a bot's look; what pages could
// not show well (unreadable colours, a script as logo, an unknown language)
// is refused with the field named, and changes nothing.
func TestBotAppearance(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	const path = "/v1/admin/bots/livechat-demo/appearance"
	var v appearanceView
	c.must("GET", path, nil, http.StatusOK, &v)
	if v.BotID != "livechat-demo" || len(v.Appearance) != 0 || v.Defaults["accent"] != "#2563eb" || v.Defaults["launcher"] != "right" || v.Defaults["name"] == "" || len(v.Languages) < 2 {
		t.Fatalf("before: %+v", v)
	}
	look := map[string]any{"name": "Acme", "accent": "#0f6b3a", "accent_text": "#ffffff", "launcher": "left",
		"welcome_title": "Bonjour", "language": "fr", "logo": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png1x1)}
	c.must("PUT", path, look, http.StatusOK, &v)
	if v.Appearance["accent"] != "#0f6b3a" || v.Appearance["language"] != "fr" || !strings.HasPrefix(v.Appearance["logo"], "data:image/png") {
		t.Fatalf("saved: %+v", v.Appearance)
	}
	for _, bad := range []struct {
		body map[string]any
		says string
	}{
		{map[string]any{"accent": "#fde047"}, "accent_text: #ffffff on #fde047 has a contrast of 1.3:1"},
		{map[string]any{"accent": "green"}, `accent: "green" is not a colour`},
		{map[string]any{"launcher": "middle"}, `launcher: "middle"`},
		{map[string]any{"language": "tlh"}, `language: the pages do not speak "tlh"`},
		{map[string]any{"logo": "data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="}, "SVG and other files are refused"},
		{map[string]any{"logo": "http://shop.example/logo.png"}, "not an https URL"},
		{map[string]any{"colour": "#000000"}, "colour"},
	} {
		if msg := c.fails("PUT", path, bad.body, "", http.StatusBadRequest); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q, want %q", bad.body, msg, bad.says)
		}
	}
	c.must("GET", path, nil, http.StatusOK, &v)
	if v.Appearance["accent"] != "#0f6b3a" || v.Appearance["name"] != "Acme" {
		t.Errorf("refused changes changed the appearance: %+v", v.Appearance)
	}
	c.fails("PUT", "/v1/admin/bots/nope/appearance", map[string]any{}, "", http.StatusNotFound)
	c.fails("GET", "/v1/admin/bots/nope/appearance", nil, "", http.StatusNotFound)
}

// TestTheAppearancePreviewFollowsTheForm sets a bot's look in the browser,
// at both sizes: the preview changes as the fields do (name, colours,
// launcher side, welcome text, language, an uploaded logo), an unreadable
// pair of colours is flagged before saving and refused when saved, and the
// saved look is what the page shows after a reload.
func TestTheAppearancePreviewFollowsTheForm(t *testing.T) {
	f := newFixture(t)
	browser := browsertest.Browser(t)
	logo := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(logo, png1x1, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, size := range browsertest.Sizes {
		t.Run(size.Name, func(t *testing.T) {
			tab := adminTab(t, f, browser)
			size.Apply(t, tab)
			browsertest.Navigate(t, tab, f.base+"/admin/#/bots/livechat-demo")
			waitJS(t, tab, "the appearance form", present("#ap-preview")+" && "+present("#ap-save"))
			set := func(sel, value string) {
				t.Helper()
				browsertest.Eval[bool](t, tab, fmt.Sprintf(`(e => { e.value = %s; e.dispatchEvent(new Event(e.tagName === "SELECT" ? "change" : "input")); return true; })(document.querySelector(%s))`,
					browsertest.JSString(value), browsertest.JSString(sel)))
			}
			set("#ap-name", "Boutique Acme")
			set("#ap-accent", "#0f6b3a")
			set("#ap-launcher", "left")
			set("#ap-welcome-text", "Posez-nous vos questions.")
			set("#ap-language", "fr")
			if err := chromedp.Do(tab, chromedp.SetUploadFiles(chromedp.CSS("#ap-logo-file"), []string{logo})); err != nil {
				t.Fatalf("upload the logo: %v", err)
			}
			waitJS(t, tab, "the preview following the form", browsertest.TextHas("#ap-preview .pv-name", "Boutique Acme")+
				` && getComputedStyle(document.querySelector("#ap-preview .pv-send")).backgroundColor === "rgb(15, 107, 58)"`+
				` && document.querySelector("#ap-preview").dataset.launcher === "left"`+
				` && document.querySelector("#ap-preview .pv-launcher").getBoundingClientRect().left - document.querySelector("#ap-preview").getBoundingClientRect().left < 30`+
				" && "+browsertest.TextHas("#ap-preview .pv-welcome", "Posez-nous vos questions.")+" && "+browsertest.TextHas("#ap-preview .pv-send", "Envoyer")+
				` && document.querySelector("#ap-preview .pv-logo").naturalWidth === 1`+" && "+browsertest.NoSideScroll)
			browsertest.Screenshot(t, tab, "admin-appearance-"+size.Name)
			browsertest.Axe(t, tab)

			set("#ap-accent", "#fde047")
			waitJS(t, tab, "the low contrast flagged", browsertest.TextHas("#ap-contrast", "too low"))
			click(t, tab, "#ap-save")
			waitJS(t, tab, "the refusal", browsertest.Visible("#ap-error")+" && "+browsertest.TextHas("#ap-error", "contrast"))
			set("#ap-accent", "#0f6b3a")
			click(t, tab, "#ap-save")
			waitJS(t, tab, "saved", browsertest.Visible("#ap-status"))
			browsertest.Navigate(t, tab, f.base+"/admin/?reload#/bots/livechat-demo")
			waitJS(t, tab, "the saved look after a reload", `document.querySelector("#ap-name")?.value === "Boutique Acme" && document.querySelector("#ap-language").value === "fr"`+
				` && document.querySelector("#ap-preview .pv-logo").naturalWidth === 1`)
		})
	}
}
