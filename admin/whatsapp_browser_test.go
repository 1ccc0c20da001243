package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/internal/browsertest"
)

// TestWhatsAppChannelFromThePage adds a WhatsApp channel on the bot's page
// at a laptop's size and a phone's, pointed at the simulator: the secrets
// never show again, the copied callback URL passes the simulator's
// verification handshake, "Test webhook" says the credentials work, an
// edit with a wrong token makes it say why not, and Delete removes it.
func TestWhatsAppChannelFromThePage(t *testing.T) {
	sim := startWhatsAppSim(t)
	f := newFixture(t)
	browser := browsertest.Browser(t)
	for _, size := range screens {
		t.Run(size.name, func(t *testing.T) {
			tab := adminTab(t, f, browser)
			browsertest.Viewport(t, tab, size.width, size.height, size.mobile)
			browsertest.Navigate(t, tab, f.base+"/admin/#/bots/livechat-demo")
			waitJS(t, tab, "the channel form", present("#channel-type"))
			if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#channel-type"), "whatsapp")); err != nil {
				t.Fatal(err)
			}
			browsertest.Eval[bool](t, tab, `document.querySelector("#channel-type").dispatchEvent(new Event("change"))`)
			waitJS(t, tab, "the WhatsApp form", browsertest.Visible("#whatsapp-new-phone-number-id"))
			typeIn(t, tab, "#whatsapp-new-phone-number-id", "106540352242922")
			typeIn(t, tab, "#whatsapp-new-access-token", "wa-token")
			typeIn(t, tab, "#whatsapp-new-app-secret", "wa-secret")
			click(t, tab, "#whatsapp-new-save")
			waitJS(t, tab, "the missing verify token", textHas("#whatsapp-new-error", "whatsapp.verify_token is missing"))
			typeIn(t, tab, "#whatsapp-new-verify-token", "wa-verify")
			typeIn(t, tab, "#whatsapp-new-api-base", sim.URL()+"/v21.0")
			click(t, tab, "#whatsapp-new-save")
			waitJS(t, tab, "the channel's card", present(".whatsapp-channel"))

			for _, secret := range []string{"wa-token", "wa-secret", "wa-verify"} {
				if browsertest.Eval[bool](t, tab, `document.documentElement.outerHTML.includes(`+browsertest.JSString(secret)+`) ||
					[...document.querySelectorAll("input")].some(e => e.value.includes(`+browsertest.JSString(secret)+`))`) {
					t.Fatalf("the secret %q shows on the page after saving", secret)
				}
			}
			browsertest.Eval[bool](t, tab, `(navigator.clipboard.writeText = async (text) => { window.copied = text; }, true)`)
			click(t, tab, `.whatsapp-channel button[id$="-webhook-copy"]`)
			waitJS(t, tab, "the copy", textHas(`.whatsapp-channel [id$="-webhook-status"]`, "Copied"))
			copied := browsertest.Eval[string](t, tab, `window.copied`)
			if !strings.HasPrefix(copied, f.base+"/v1/channels/") || !strings.HasSuffix(copied, "/webhook") {
				t.Fatalf("copied %q, want the channel's webhook URL", copied)
			}
			if err := sim.Subscribe(t.Context(), copied); err != nil {
				t.Fatalf("the simulator's verification of the copied URL: %v", err)
			}

			click(t, tab, `.whatsapp-channel button[id$="-check"]`)
			waitJS(t, tab, "the check's success", textHas(`.whatsapp-channel [id$="-check-result"].ok`, "The token works"))
			browsertest.Screenshot(t, tab, "admin-whatsapp-"+size.name)
			browsertest.Axe(t, tab)
			waitJS(t, tab, "no sideways scroll", browsertest.NoSideScroll)

			click(t, tab, `.whatsapp-channel button[id$="-edit-open"]`)
			waitJS(t, tab, "the edit form", present(`.whatsapp-channel input[id$="-access-token"]`))
			if v := browsertest.Eval[string](t, tab, `document.querySelector('.whatsapp-channel input[id$="-phone-number-id"]').value`); v != "106540352242922" {
				t.Errorf("the edit form shows phone number id %q", v)
			}
			typeIn(t, tab, `.whatsapp-channel input[id$="-access-token"]`, "a wrong token")
			click(t, tab, `.whatsapp-channel button[id$="-save"]`)
			waitJS(t, tab, "the card again", present(`.whatsapp-channel`)+` && !document.querySelector('.whatsapp-channel input[id$="-access-token"]')`)
			click(t, tab, `.whatsapp-channel button[id$="-check"]`)
			waitJS(t, tab, "the check's failure", textHas(`.whatsapp-channel [id$="-check-result"].error`, "refuses the access token"))
			browsertest.Axe(t, tab)

			click(t, tab, `.whatsapp-channel button[id$="-delete"]`)
			click(t, tab, `.whatsapp-channel button[id$="-delete"]`)
			waitJS(t, tab, "the card gone", browsertest.Absent(".whatsapp-channel"))
		})
	}
}
