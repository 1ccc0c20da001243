package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/channel/telegram/telegramsim"
)

// TestTelegramChannelSettings creates, lists and deletes a Telegram channel
// through the admin API against the simulator, which sees setWebhook and
// deleteWebhook; bad settings are refused with what is wrong and change
// nothing.
func TestTelegramChannelSettings(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	sim := telegramsim.New(telegramsim.Config{InsecureWebhooks: true})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	strict := telegramsim.New(telegramsim.Config{}) // HTTPS webhooks only, as Telegram
	if err := strict.Start(); err != nil {
		t.Fatal(err)
	}
	defer strict.Close()
	settings := func(token, base string) map[string]any {
		return map[string]any{"bot_id": "livechat-demo", "type": "telegram", "telegram": map[string]string{"bot_token": token, "api_base": base}}
	}
	var list struct {
		Channels []map[string]any `json:"channels"`
	}
	c.must("GET", "/v1/admin/channels", nil, http.StatusOK, &list)
	before := len(list.Channels)

	for _, bad := range []struct {
		body any
		code int
		says string
	}{
		{map[string]any{"bot_id": "livechat-demo", "type": "telegram"}, 400, "telegram is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "webapp", "telegram": map[string]string{"bot_token": "1:x"}}, 400, "telegram settings are for a channel of type telegram, not webapp"},
		{map[string]any{"bot_id": "livechat-demo", "type": "telegram", "viber": map[string]string{}}, 400, `unknown field "viber"`},
		{settings("not a token", sim.URL()), 400, "telegram.bot_token is not a bot token"},
		{settings("7000000001:AAwrongwrongwrongwrongwrongwrong", sim.URL()), 400, "Telegram refused the webhook"},
		{settings(telegramsim.DefaultToken, strict.URL()), 400, "An HTTPS URL must be provided for webhook"},
	} {
		msg := c.fails("POST", "/v1/admin/channels", bad.body, "", bad.code)
		if !strings.Contains(msg, bad.says) || strings.Contains(msg, "AAwrong") {
			t.Errorf("%v: %q, want %q", bad.body, msg, bad.says)
		}
	}
	c.must("GET", "/v1/admin/channels", nil, http.StatusOK, &list)
	if len(list.Channels) != before {
		t.Fatalf("refused channels were made: %d, want %d", len(list.Channels), before)
	}

	var made struct {
		Channel struct {
			ID         string            `json:"id"`
			Name       string            `json:"name"`
			WebhookURL string            `json:"webhook_url"`
			Telegram   map[string]string `json:"telegram"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", settings(telegramsim.DefaultToken, sim.URL()), http.StatusCreated, &made)
	ch := made.Channel
	if ch.Name != "Telegram" || ch.Telegram["api_base"] != sim.URL() || len(ch.Telegram) != 1 || sim.WebhookInfo()["url"] != ch.WebhookURL {
		t.Fatalf("channel %+v, webhook %v", ch, sim.WebhookInfo())
	}
	for _, ex := range recorder.Exchanges() {
		if strings.Contains(string(ex.ResponseBody), "AAsimulated") {
			t.Fatalf("an answer shows the bot token: %s", ex.ResponseBody)
		}
	}
	if strings.Contains(f.logs.String(), "AAsimulated") {
		t.Fatal("the bot token is in the logs")
	}
	c.must("DELETE", "/v1/admin/channels/"+ch.ID, nil, http.StatusNoContent, nil)
	if sim.WebhookInfo()["url"] != "" {
		t.Fatalf("the webhook after deletion: %v", sim.WebhookInfo())
	}
}
