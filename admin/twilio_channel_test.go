package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestTwilioChannelLifecycle: an SMS channel is created with its Twilio
// settings (the Auth Token never shown again, nor logged), listed with its
// webhook URL and the default API, refused with what is wrong when a
// setting is bad or misplaced, and removed.
func TestTwilioChannelLifecycle(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	tw := map[string]any{"account_sid": "AC0123456789abcdef0123456789abcdef", "auth_token": "tw-auth-token-secret", "from": "+15005550006"}
	var created struct {
		Channel struct {
			ID         string         `json:"id"`
			Type       string         `json:"type"`
			Name       string         `json:"name"`
			WebhookURL string         `json:"webhook_url"`
			Twilio     map[string]any `json:"twilio"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "twilio", "twilio": tw}, http.StatusCreated, &created)
	ch := created.Channel
	if ch.Type != "twilio" || ch.Name != "SMS" || ch.WebhookURL != f.base+"/v1/channels/"+ch.ID+"/webhook" ||
		ch.Twilio["account_sid"] != tw["account_sid"] || ch.Twilio["from"] != "+15005550006" || ch.Twilio["api_base"] != "https://api.twilio.com" || ch.Twilio["auth_token"] != nil {
		t.Errorf("created: %+v", ch)
	}
	_, list := c.do("GET", "/v1/admin/channels?bot_id=livechat-demo", nil, "")
	if !strings.Contains(string(list), ch.WebhookURL) || strings.Contains(string(list), "tw-auth-token-secret") {
		t.Errorf("the list: %s", list)
	}
	if strings.Contains(f.logs.String(), "tw-auth-token-secret") {
		t.Error("the Auth Token is in the logs")
	}
	for _, bad := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"bot_id": "livechat-demo", "type": "twilio"}, "twilio is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "twilio", "twilio": map[string]any{"account_sid": "AC0123456789abcdef0123456789abcdef", "from": "+15005550006"}}, "twilio.auth_token is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "twilio", "twilio": map[string]any{"account_sid": "SK1", "auth_token": "x", "from": "+15005550006"}}, "twilio.account_sid"},
		{map[string]any{"bot_id": "livechat-demo", "type": "twilio", "twilio": map[string]any{"account_sid": "AC0123456789abcdef0123456789abcdef", "auth_token": "x", "from": "555-0006"}}, "twilio.from"},
		{map[string]any{"bot_id": "livechat-demo", "type": "webapp", "twilio": tw}, "twilio settings are for a channel of type twilio, not webapp"},
	} {
		res, body := c.do("POST", "/v1/admin/channels", bad.body, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), bad.want) {
			t.Errorf("POST %v → %d %s, want 400 saying %q", bad.body, res.StatusCode, body, bad.want)
		}
	}
	c.must("DELETE", "/v1/admin/channels/"+ch.ID, nil, http.StatusNoContent, nil)
}
