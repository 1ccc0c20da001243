package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestSlackChannelLifecycle: a Slack channel is created with its bot token
// and signing secret (never shown again, nor logged), listed with its
// webhook URL and the default API, refused with what is wrong when a
// setting is bad, and removed.
func TestSlackChannelLifecycle(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	sl := map[string]any{"bot_token": "xoxb-1-2-slack-bot-token-secret", "signing_secret": "0123456789abcdef0123456789abcdef"}
	var created struct {
		Channel struct {
			ID         string         `json:"id"`
			Type       string         `json:"type"`
			Name       string         `json:"name"`
			WebhookURL string         `json:"webhook_url"`
			Slack      map[string]any `json:"slack"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "slack", "slack": sl}, http.StatusCreated, &created)
	ch := created.Channel
	if ch.Type != "slack" || ch.Name != "Slack" || ch.WebhookURL != f.base+"/v1/channels/"+ch.ID+"/webhook" || len(ch.Slack) != 1 || ch.Slack["api_base"] != "https://slack.com/api" {
		t.Errorf("created: %+v", ch)
	}
	_, list := c.do("GET", "/v1/admin/channels?bot_id=livechat-demo", nil, "")
	if !strings.Contains(string(list), ch.WebhookURL) || strings.Contains(string(list), "slack-bot-token-secret") || strings.Contains(string(list), "0123456789abcdef0123456789abcdef") {
		t.Errorf("the list: %s", list)
	}
	if strings.Contains(f.logs.String(), "slack-bot-token-secret") || strings.Contains(f.logs.String(), "0123456789abcdef0123456789abcdef") {
		t.Error("a secret is in the logs")
	}
	for _, bad := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"bot_id": "livechat-demo", "type": "slack"}, "slack is missing"},
		{map[string]any{"bot_id": "livechat-demo", "type": "slack", "slack": map[string]any{"bot_token": "xoxp-1-2-user", "signing_secret": "0123456789abcdef0123456789abcdef"}}, "slack.bot_token"},
		{map[string]any{"bot_id": "livechat-demo", "type": "slack", "slack": map[string]any{"bot_token": "xoxb-1-2-abc"}}, "slack.signing_secret is missing"},
	} {
		res, body := c.do("POST", "/v1/admin/channels", bad.body, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), bad.want) {
			t.Errorf("POST %v → %d %s, want 400 saying %q", bad.body, res.StatusCode, body, bad.want)
		}
	}
	c.must("DELETE", "/v1/admin/channels/"+ch.ID, nil, http.StatusNoContent, nil)
}
