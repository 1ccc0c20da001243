package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWhatsAppChannelLifecycle: a WhatsApp channel is created with its
// settings (secrets never shown again), listed with its webhook URL, refused
// with a clear error when a setting is missing or misplaced, and removed.
func TestWhatsAppChannelLifecycle(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	wa := map[string]any{"phone_number_id": "106540352242922", "access_token": "EAAG-secret-token", "app_secret": "app-secret-1",
		"verify_token": "verify-me", "template": map[string]string{"name": "hello_world", "language": "en_US"}}
	var created struct {
		Channel struct {
			ID         string         `json:"id"`
			Type       string         `json:"type"`
			Name       string         `json:"name"`
			WebhookURL string         `json:"webhook_url"`
			WhatsApp   map[string]any `json:"whatsapp"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "whatsapp", "whatsapp": wa}, http.StatusCreated, &created)
	ch := created.Channel
	if ch.Type != "whatsapp" || ch.Name != "WhatsApp" || ch.WebhookURL != f.base+"/v1/channels/"+ch.ID+"/webhook" ||
		ch.WhatsApp["phone_number_id"] != "106540352242922" || ch.WhatsApp["api_base"] != "https://graph.facebook.com/v21.0" {
		t.Errorf("created: %+v", ch)
	}
	_, list := c.do("GET", "/v1/admin/channels?bot_id=livechat-demo", nil, "")
	if !strings.Contains(string(list), ch.WebhookURL) {
		t.Errorf("the list does not show the webhook URL: %s", list)
	}
	for _, secret := range []string{"EAAG-secret-token", "app-secret-1", "verify-me"} {
		if strings.Contains(string(list), secret) {
			t.Errorf("the list shows a secret: %s", list)
		}
	}

	for _, bad := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"bot_id": "livechat-demo", "type": "whatsapp", "whatsapp": map[string]any{"phone_number_id": "1", "access_token": "t", "verify_token": "v"}}, "whatsapp.app_secret is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "whatsapp"}, "whatsapp is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "whatsapp", "whatsapp": map[string]any{"phone_number_id": "1", "access_token": "t", "app_secret": "s", "verify_token": "v", "api_base": "ftp://x"}}, "whatsapp.api_base"},
		{map[string]any{"bot_id": "livechat-demo", "type": "webapp", "whatsapp": wa}, "type whatsapp"},
		{map[string]any{"bot_id": "livechat-demo", "type": "telegram"}, "whatsapp"},
	} {
		res, body := c.do("POST", "/v1/admin/channels", bad.body, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), bad.want) {
			t.Errorf("POST %v → %d %s, want 400 saying %q", bad.body, res.StatusCode, body, bad.want)
		}
	}

	c.must("DELETE", "/v1/admin/channels/"+ch.ID, nil, http.StatusNoContent, nil)
	if res, _ := c.do("DELETE", "/v1/admin/channels/"+ch.ID, nil, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE twice → %d, want 404", res.StatusCode)
	}
	if _, list := c.do("GET", "/v1/admin/channels", nil, ""); strings.Contains(string(list), ch.ID) {
		t.Errorf("the removed channel is still listed: %s", list)
	}
}
