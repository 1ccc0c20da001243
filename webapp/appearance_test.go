package webapp_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"switchboard"
	"switchboard/appearance"
	"switchboard/internal/browsertest"
)

// logoPNG is a 1×1 PNG.
var logoPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// shopLook is a shop's appearance: French, green, launcher on the left,
// with an uploaded logo.
var shopLook = appearance.Appearance{
	Name: "Boutique Acme", Logo: "data:image/png;base64," + base64.StdEncoding.EncodeToString(logoPNG),
	Accent: "#0f6b3a", AccentText: "#ffffff", Launcher: "left",
	WelcomeTitle: "Bonjour !", WelcomeText: "Posez-nous vos questions.", Language: "fr",
}

func (f *fixture) setLook(t *testing.T, a appearance.Appearance) {
	t.Helper()
	if err := f.store.Update(context.Background(), func(tx switchboard.Tx) error {
		return appearance.Save(context.Background(), tx, botID, a)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestTheChatPageWearsTheBotsAppearance checks what the page, its theme,
// its logo and the widget's config serve for a bot with an appearance.
func TestTheChatPageWearsTheBotsAppearance(t *testing.T) {
	f := newFixture(t, nil)
	f.setLook(t, shopLook)
	resp, body := f.get(t, "/chat/"+channelID)
	for _, want := range []string{`<html lang="fr">`, "<title>Boutique Acme</title>", `<h1>Boutique Acme</h1>`,
		`src="/v1/webapp/` + channelID + `/logo?v=`, "<h2>Bonjour !</h2>", "Posez-nous vos questions.",
		`placeholder="Écrivez un message…"`, `"Mise en relation avec un agent…"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page (%d) lacks %s", resp.StatusCode, want)
		}
	}
	if resp, css := f.get(t, "/v1/webapp/"+channelID+"/theme.css"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(css, "--accent: #0f6b3a;") || !strings.Contains(css, "--accent-text: #ffffff;") || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("theme.css: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), css)
	}
	resp, logo := f.get(t, "/v1/webapp/"+channelID+"/logo")
	if resp.StatusCode != http.StatusOK || logo != string(logoPNG) || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("logo: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(logo))
	}
	resp, cfg := f.get(t, "/v1/webapp/"+channelID+"/config")
	if !strings.Contains(cfg, `"launcher":"left"`) || !strings.Contains(cfg, `"open_label":"Ouvrir Boutique Acme"`) || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("config: %s", cfg)
	}

	f.setLook(t, appearance.Appearance{Logo: "https://shop.example/logo.png"})
	if _, body := f.get(t, "/chat/"+channelID); !strings.Contains(body, `src="https://shop.example/logo.png"`) || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("a logo by URL: the page should link it, in English")
	}
	if resp, _ := f.get(t, "/v1/webapp/"+channelID+"/logo"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("no uploaded logo: %d, want 404", resp.StatusCode)
	}
}

// TestTheBrandedFrenchChatInTheBrowser opens the French, green chat page at
// both sizes, light and dark, and the widget on the left: the texts are
// French, the colours the shop's, and axe finds no serious violation.
func TestTheBrandedFrenchChatInTheBrowser(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, map[string]http.HandlerFunc{"GET /shop.html": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><title>Acme</title><main><h1>Boutique Acme</h1></main>
<script src="/webapp/widget.js" data-channel="%s"></script>`, channelID)
	}})
	f.runOutbox(t)
	f.setLook(t, shopLook)
	for _, size := range browsertest.Sizes {
		for _, scheme := range []string{"light", "dark"} {
			t.Run(size.Name+" "+scheme, func(t *testing.T) {
				p := slowTab(t, browser, f)
				size.Apply(t, p.ctx)
				p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
						Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
					return err
				}))
				p.open("/chat/" + channelID)
				p.wait(`document.documentElement.lang === "fr" && document.querySelector("#welcome h2").textContent === "Bonjour !" &&
					document.querySelector("#logo").naturalWidth === 1 && document.querySelector("#composer-send").textContent === "Envoyer"`)
				p.wait(`getComputedStyle(document.querySelector("#composer-send")).backgroundColor === "rgb(15, 107, 58)"`)
				p.do(chromedp.Click(chromedp.CSS(`button[data-payload="LIVECHAT_SESSION_START"]`)))
				p.wait(`document.getElementById("livechat-status").textContent.startsWith("Mise en relation avec un agent…")`)
				p.wait(`[...document.querySelectorAll(".msg.user .bubble")].some(b => getComputedStyle(b).backgroundColor === "rgb(15, 107, 58)")`)
				p.wait(browsertest.NoSideScroll)
				browsertest.Screenshot(t, p.ctx, "chat-"+scheme+"-"+size.Name)
				browsertest.Axe(t, p.ctx)
			})
		}
		t.Run(size.Name+" widget", func(t *testing.T) {
			p := slowTab(t, browser, f)
			size.Apply(t, p.ctx)
			p.do(chromedp.Navigate(f.server.URL + "/shop.html"))
			button := `document.querySelector(".switchboard-widget-button")`
			p.wait(button + ` !== null && ` + button + `.getAttribute("aria-label") === "Ouvrir Boutique Acme" &&
				getComputedStyle(` + button + `).backgroundColor === "rgb(15, 107, 58)" && ` + button + `.getBoundingClientRect().left < 40`)
			p.do(chromedp.Click(chromedp.CSS(".switchboard-widget-button")))
			p.wait(`document.querySelector("iframe").contentDocument?.querySelector("#welcome h2")?.textContent === "Bonjour !" &&
				document.querySelector("iframe").contentDocument.documentElement.lang === "fr"`)
			p.wait(button + `.getAttribute("aria-label") === "Fermer Boutique Acme"`)
			browsertest.Screenshot(t, p.ctx, "widget-"+size.Name)
			browsertest.Axe(t, p.ctx)
		})
	}
}
