package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/channel/telegram/telegramsim"
	"switchboard/channel/twilio/twiliosim"
	"switchboard/internal/browsertest"
	"switchboard/internal/simkit/simtest"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// channelPage opens the demo bot's page and the new-channel form of type
// typ.
func channelPage(t *testing.T, f *fixture, typ string) context.Context {
	t.Helper()
	tab := adminTab(t, f, browsertest.Browser(t))
	browsertest.Navigate(t, tab, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, tab, "the channel form", present(`#channel-type option[value="`+typ+`"]`))
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#channel-type"), typ)); err != nil {
		t.Fatal(err)
	}
	browsertest.Eval[bool](t, tab, `document.querySelector("#channel-type").dispatchEvent(new Event("change"))`)
	waitJS(t, tab, "the "+typ+" form", browsertest.Visible("#"+typ+"-new-save"))
	return tab
}

// card is the selector of the card of the page's channel of type typ.
func card(typ string) string { return "." + typ + "-channel" }

// check presses the card's "Test webhook" and waits for its result: ok
// (class ok) or not (class error), saying want.
func check(t *testing.T, tab context.Context, typ string, ok bool, want string) {
	t.Helper()
	class := map[bool]string{true: "ok", false: "error"}[ok]
	click(t, tab, card(typ)+` button[id$="-check"]`)
	waitJS(t, tab, "the check saying "+want, textHas(card(typ)+` [id$="-check-result"].`+class, want))
}

// refused waits for the form's error saying want, with the input of the
// setting it names marked invalid and focused.
func refused(t *testing.T, tab context.Context, form, input, want string) {
	t.Helper()
	waitJS(t, tab, "the error saying "+want, textHas(form+` [id$="-error"]`, want))
	sel := form + " " + input
	waitJS(t, tab, "the named field marked", `document.querySelector(`+browsertest.JSString(sel)+`)?.getAttribute("aria-invalid") === "true" && document.activeElement === document.querySelector(`+browsertest.JSString(sel)+`)`)
}

// correct waits for the new-channel form of typ to refuse the setting of
// input id (saying want), then types value in its place.
func correct(t *testing.T, tab context.Context, typ, id, want, value string) {
	t.Helper()
	refused(t, tab, "#"+typ+"-new-form", "#"+typ+"-new-"+id, want)
	clear(t, tab, "#"+typ+"-new-"+id)
	typeIn(t, tab, "#"+typ+"-new-"+id, value)
}

// webhookURL is the URL the card shows.
func webhookURL(t *testing.T, tab context.Context, typ string) string {
	t.Helper()
	return browsertest.Eval[string](t, tab, `document.querySelector('`+card(typ)+` input[id$="-webhook"]').value`)
}

// editAndSave opens the card's edit form, lets fill change it, saves and
// waits for the card again.
func editAndSave(t *testing.T, tab context.Context, typ string, fill func()) {
	t.Helper()
	click(t, tab, card(typ)+` button[id$="-edit-open"]`)
	waitJS(t, tab, "the edit form", present(card(typ)+` .channel-form`))
	fill()
	click(t, tab, card(typ)+` .channel-form button[id$="-save"]`)
}

// editSaved is editAndSave of an edit the server takes: the form closes.
func editSaved(t *testing.T, tab context.Context, typ string, fill func()) {
	t.Helper()
	editAndSave(t, tab, typ, fill)
	waitJS(t, tab, "the card again", browsertest.Absent(card(typ)+" .channel-form"))
}

// deleteChannel deletes the card's channel, confirming.
func deleteChannel(t *testing.T, tab context.Context, typ string) {
	t.Helper()
	click(t, tab, card(typ)+` button[id$="-delete"]`)
	waitJS(t, tab, "the confirmation", textHas(card(typ)+` button[id$="-delete"]`, "Click again"))
	click(t, tab, card(typ)+` button[id$="-delete"]`)
	waitJS(t, tab, "the card gone", browsertest.Absent(card(typ)))
}

// TestTelegramChannelFromThePage adds a Telegram channel on the bot's page
// against the simulator: a token of the wrong shape is refused naming the
// field; the channel is added with setWebhook called (the page says so
// rather than asking to paste the URL), the check finds the bot and its
// webhook, an edit keeps the token and registers again, a token of
// another bot is refused, and Delete removes the webhook.
func TestTelegramChannelFromThePage(t *testing.T) {
	sim := telegramsim.New(telegramsim.Config{InsecureWebhooks: true})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	f := newFixture(t)
	tab := channelPage(t, f, "telegram")
	typeIn(t, tab, "#telegram-new-bot-token", "not a token")
	typeIn(t, tab, "#telegram-new-api-base", sim.URL())
	click(t, tab, "#telegram-new-save")
	correct(t, tab, "telegram", "bot-token", "telegram.bot_token is not a bot token", telegramsim.DefaultToken)
	browsertest.Axe(t, tab)
	click(t, tab, "#telegram-new-save")
	waitJS(t, tab, "the channel's card", present(card("telegram")))

	url := webhookURL(t, tab, "telegram")
	if !strings.HasPrefix(url, f.base+"/v1/channels/") || sim.WebhookInfo()["url"] != url {
		t.Fatalf("the card shows %q, Telegram delivers to %v", url, sim.WebhookInfo()["url"])
	}
	waitJS(t, tab, "the note that switchboard registered it", textHas(card("telegram")+" label", "switchboard registered it with Telegram itself"))
	if browsertest.Eval[bool](t, tab, `document.documentElement.outerHTML.includes(`+browsertest.JSString(telegramsim.DefaultToken)+`)`) {
		t.Fatal("the bot token shows on the page after saving")
	}
	check(t, tab, "telegram", true, "bot @switchboard_sim_bot")
	browsertest.Axe(t, tab)

	editSaved(t, tab, "telegram", func() {
		if v := browsertest.Eval[string](t, tab, `document.querySelector('`+card("telegram")+` input[id$="-api-base"]').value`); v != sim.URL() {
			t.Errorf("the edit form shows api_base %q", v)
		}
		clear(t, tab, card("telegram")+` input[id$="-name"]`)
		typeIn(t, tab, card("telegram")+` input[id$="-name"]`, "Telegram bot")
	})
	waitJS(t, tab, "the new name", textHas(card("telegram")+" h3", "Telegram bot"))
	if sim.WebhookInfo()["url"] != url {
		t.Fatalf("after the edit Telegram delivers to %v", sim.WebhookInfo()["url"])
	}
	check(t, tab, "telegram", true, "The token works")

	editAndSave(t, tab, "telegram", func() {
		typeIn(t, tab, card("telegram")+` input[id$="-bot-token"]`, "7000000002:AAanotherBotTokenOfSwitchboardTests")
	})
	refused(t, tab, card("telegram"), `input[id$="-bot-token"]`, "telegram.bot_token is bot 7000000002's")
	deleteChannel(t, tab, "telegram")
	if sim.WebhookInfo()["url"] != "" {
		t.Fatalf("after the deletion Telegram delivers to %v", sim.WebhookInfo()["url"])
	}
}

// TestTwilioChannelFromThePage adds an SMS channel on the bot's page
// against the simulator: a number not in E.164 is refused naming the
// field; the card shows the URL to paste into Twilio's console, the check
// reads the account, an edit with a wrong Auth Token makes the check say
// so, and Delete removes the channel.
func TestTwilioChannelFromThePage(t *testing.T) {
	sim := twiliosim.New(twiliosim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	f := newFixture(t)
	tab := channelPage(t, f, "twilio")
	typeIn(t, tab, "#twilio-new-account-sid", twiliosim.DefaultAccountSID)
	typeIn(t, tab, "#twilio-new-auth-token", twiliosim.DefaultAuthToken)
	typeIn(t, tab, "#twilio-new-from", "555-0006")
	typeIn(t, tab, "#twilio-new-api-base", sim.URL())
	click(t, tab, "#twilio-new-save")
	correct(t, tab, "twilio", "from", "twilio.from", twiliosim.DefaultNumber)
	browsertest.Eval[any](t, tab, `document.querySelector("#twilio-new-form").scrollIntoView()`)
	browsertest.Screenshot(t, tab, "admin-channel-twilio-new")
	click(t, tab, "#twilio-new-save")
	waitJS(t, tab, "the channel's card", present(card("twilio")))
	waitJS(t, tab, "what to do with the URL", textHas(card("twilio")+" label", "A message comes in"))
	if url := webhookURL(t, tab, "twilio"); !strings.HasPrefix(url, f.base+"/v1/channels/") || !strings.HasSuffix(url, "/webhook") {
		t.Fatalf("the card shows %q", url)
	}
	check(t, tab, "twilio", true, "account Switchboard simulator")
	browsertest.Axe(t, tab)

	editSaved(t, tab, "twilio", func() {
		typeIn(t, tab, card("twilio")+` input[id$="-auth-token"]`, "a-wrong-token")
	})
	check(t, tab, "twilio", false, "refuses the Account SID and Auth Token")
	editSaved(t, tab, "twilio", func() {
		typeIn(t, tab, card("twilio")+` input[id$="-auth-token"]`, twiliosim.DefaultAuthToken)
	})
	check(t, tab, "twilio", true, "The credentials work")
	deleteChannel(t, tab, "twilio")
}

// TestChatwootChannelFromThePage adds a Chatwoot agent bot channel on the
// bot's page against the simulator: the card shows the outgoing URL to set
// on the agent bot, with its token; the check proves the bot's token, an
// edit to one inbox keeps the token and the URL, an edit with a wrong
// token is refused by Chatwoot and changes nothing, and Delete removes the
// channel.
func TestChatwootChannelFromThePage(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	f := newFixture(t)
	tab := channelPage(t, f, "chatwoot")
	typeIn(t, tab, "#chatwoot-new-url", sim.URL)
	typeIn(t, tab, "#chatwoot-new-bot-token", chatwootsim.DefaultBot.Token)
	click(t, tab, "#chatwoot-new-save")
	correct(t, tab, "chatwoot", "account-id", "chatwoot.account_id is missing", "1")
	click(t, tab, "#chatwoot-new-save")
	waitJS(t, tab, "the channel's card", present(card("chatwoot")))
	waitJS(t, tab, "what to do with the URL", textHas(card("chatwoot")+" label", "Outgoing URL to set on the agent bot"))
	url := webhookURL(t, tab, "chatwoot")
	if !strings.HasPrefix(url, f.base+"/v1/channels/") || !strings.Contains(url, "/webhook?token=") {
		t.Fatalf("the card shows %q", url)
	}
	check(t, tab, "chatwoot", true, "every inbox")
	browsertest.Axe(t, tab)
	browsertest.Eval[any](t, tab, `document.querySelector('`+card("chatwoot")+`').scrollIntoView()`)
	browsertest.Screenshot(t, tab, "admin-channel-chatwoot")

	editSaved(t, tab, "chatwoot", func() {
		typeIn(t, tab, card("chatwoot")+` input[id$="-inbox-id"]`, "3")
	})
	if got := webhookURL(t, tab, "chatwoot"); got != url {
		t.Errorf("after the edit the URL is %q, want %q still", got, url)
	}
	check(t, tab, "chatwoot", true, "inbox 3")

	editAndSave(t, tab, "chatwoot", func() {
		typeIn(t, tab, card("chatwoot")+` input[id$="-bot-token"]`, "not-the-token")
	})
	refused(t, tab, card("chatwoot"), `input[id$="-bot-token"]`, "chatwoot.bot_token was refused")
	check(t, tab, "chatwoot", true, "inbox 3")
	deleteChannel(t, tab, "chatwoot")
}
