package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestMessengerChannelSettings creates, lists and deletes Messenger and
// Instagram channels through the admin API: bad settings are refused with
// what is wrong and change nothing, and no answer shows a secret.
func TestMessengerChannelSettings(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var list struct {
		Channels []map[string]any `json:"channels"`
	}
	c.must("GET", "/v1/admin/channels", nil, http.StatusOK, &list)
	before := len(list.Channels)
	secrets := map[string]any{"page_access_token": "EAAsecret-page-token", "app_secret": "the-app-secret", "verify_token": "the-verify-token"}
	with := func(typ string, fields map[string]any) map[string]any {
		s := map[string]any{}
		for k, v := range secrets {
			s[k] = v
		}
		for k, v := range fields {
			s[k] = v
		}
		return map[string]any{"bot_id": "livechat-demo", "type": typ, typ: s}
	}
	for _, bad := range []struct {
		body any
		says string
	}{
		{map[string]any{"bot_id": "livechat-demo", "type": "messenger"}, "messenger is missing"},
		{with("messenger", nil), "messenger.page_id is missing"},
		{with("instagram", map[string]any{"page_id": "104519512465901"}), "instagram.page_id is not a setting of the instagram type: give instagram_id"},
		{with("messenger", map[string]any{"page_id": "1", "api_base": "ftp://graph"}), "messenger.api_base"},
		{with("messenger", map[string]any{"page_id": "1", "human_agent_tag": "yes"}), "the settings do not read"},
		{with("messenger", map[string]any{"page_id": "1", "page_access_token": ""}), "messenger.page_access_token is missing"},
	} {
		msg := c.fails("POST", "/v1/admin/channels", bad.body, "", http.StatusBadRequest)
		if !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q, want %q", bad.body, msg, bad.says)
		}
	}
	c.must("GET", "/v1/admin/channels", nil, http.StatusOK, &list)
	if len(list.Channels) != before {
		t.Fatalf("refused channels were made: %d, want %d", len(list.Channels), before)
	}

	for _, typ := range []string{"messenger", "instagram"} {
		idField := map[string]string{"messenger": "page_id", "instagram": "instagram_id"}[typ]
		var made struct {
			Channel map[string]any `json:"channel"`
		}
		c.must("POST", "/v1/admin/channels", with(typ, map[string]any{idField: "17841405822304914", "human_agent_tag": true, "handover": true}), http.StatusCreated, &made)
		shown, _ := made.Channel[typ].(map[string]any)
		if made.Channel["name"] != map[string]string{"messenger": "Messenger", "instagram": "Instagram"}[typ] || shown[idField] != "17841405822304914" ||
			shown["human_agent_tag"] != true || shown["handover"] != true || !strings.HasSuffix(made.Channel["webhook_url"].(string), "/webhook") {
			t.Errorf("the %s channel is shown as %v", typ, made.Channel)
		}
		c.must("DELETE", "/v1/admin/channels/"+made.Channel["id"].(string), nil, http.StatusNoContent, nil)
	}
	for _, ex := range recorder.Exchanges() {
		for _, s := range secrets {
			if strings.Contains(string(ex.ResponseBody), s.(string)) {
				t.Fatalf("an answer shows a secret: %s", ex.ResponseBody)
			}
		}
	}
}
