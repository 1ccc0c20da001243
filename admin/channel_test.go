package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/secrets"
)

type credentials struct {
	Channel struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Name   string `json:"name"`
		APIKey string `json:"api_key"`
		URL    string `json:"url"`
	} `json:"channel"`
	APISecret string `json:"api_secret"`
}

func TestChannelsAndKeyRotation(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var web, api credentials
	c.must("POST", "/v1/admin/channels", map[string]string{"bot_id": "livechat-demo", "type": "webapp", "name": "Help centre"}, http.StatusCreated, &web)
	if web.Channel.Type != "webapp" || web.APISecret != "" || web.Channel.APIKey != "" || !strings.HasSuffix(web.Channel.URL, "/chat/"+web.Channel.ID) {
		t.Fatalf("webapp channel: %+v", web)
	}
	// The new chat page works.
	res, err := http.Get(web.Channel.URL)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("chat page of the new channel: %v %v", err, res)
	}
	res.Body.Close()

	c.must("POST", "/v1/admin/channels", map[string]string{"bot_id": "livechat-demo", "type": "api"}, http.StatusCreated, &api)
	if api.Channel.Name != "Chat API" || !strings.HasPrefix(api.Channel.APIKey, "pk_") || !strings.HasPrefix(api.APISecret, "sk_") {
		t.Fatalf("API channel: %+v", api)
	}
	chat := func(key string) int {
		req, _ := http.NewRequest("POST", f.base+"/v1/api/chat", strings.NewReader(`{"client":{"user_id":"u"},"payload":{"content_type":"text","content":{"text":"hi"}}}`))
		req.Header.Set("X-Api-Key", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := chat(api.Channel.APIKey); code != http.StatusOK {
		t.Fatalf("chat with the new key → %d", code)
	}

	// The secret is never shown again: not in lists, not in the store.
	var list struct {
		Channels []map[string]any `json:"channels"`
	}
	c.must("GET", "/v1/admin/channels?bot_id=livechat-demo", nil, http.StatusOK, &list)
	if len(list.Channels) != 3 { // the chat page made at start, and the two new ones
		t.Fatalf("channels: %+v", list.Channels)
	}
	for _, ch := range list.Channels {
		if _, ok := ch["api_secret"]; ok {
			t.Errorf("a listed channel shows its secret: %v", ch)
		}
	}
	var stored *switchboard.Channel
	err = f.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		stored, err = tx.Channel(context.Background(), api.Channel.ID)
		return err
	})
	if err != nil || !secrets.IsSealed(stored.Secret) || strings.Contains(stored.Secret, api.APISecret) {
		t.Fatalf("the stored secret is not sealed: %v %q", err, stored.Secret)
	}

	// Rotation: new credentials, the old key stops at once.
	var rotated credentials
	c.must("POST", "/v1/admin/channels/"+api.Channel.ID+"/rotate", nil, http.StatusOK, &rotated)
	if rotated.Channel.APIKey == api.Channel.APIKey || rotated.APISecret == api.APISecret || rotated.APISecret == "" {
		t.Fatalf("rotated: %+v", rotated)
	}
	if code := chat(api.Channel.APIKey); code != http.StatusUnauthorized {
		t.Errorf("the old key after rotation → %d", code)
	}
	if code := chat(rotated.Channel.APIKey); code != http.StatusOK {
		t.Errorf("the new key → %d", code)
	}
	if msg := c.fails("POST", "/v1/admin/channels/"+web.Channel.ID+"/rotate", nil, "", http.StatusBadRequest); !strings.Contains(msg, "only API channels") {
		t.Errorf("rotating a webapp channel: %q", msg)
	}
	c.fails("POST", "/v1/admin/channels/nope/rotate", nil, "", http.StatusNotFound)

	for _, bad := range []struct {
		body map[string]string
		code int
		says string
	}{
		{map[string]string{"type": "api"}, 400, "bot_id"},
		{map[string]string{"bot_id": "livechat-demo", "type": "sms"}, 400, "type"},
		{map[string]string{"bot_id": "livechat-demo", "type": "api", "name": strings.Repeat("n", 101)}, 400, "name"},
		{map[string]string{"bot_id": "nope", "type": "api"}, 404, "nope"},
	} {
		if msg := c.fails("POST", "/v1/admin/channels", bad.body, "", bad.code); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q", bad.body, msg)
		}
	}
	c.must("GET", "/v1/admin/channels", nil, http.StatusOK, &list)
	if len(list.Channels) != 3 {
		t.Errorf("all channels: %d", len(list.Channels))
	}
	// The secrets never reach the logs, nor any answer but the one that
	// made them.
	for _, s := range []string{api.APISecret, rotated.APISecret} {
		if strings.Contains(f.logs.String(), s) {
			t.Error("an API secret is in the logs")
		}
		shown := 0
		for _, ex := range recorder.Exchanges() {
			if strings.Contains(string(ex.ResponseBody), s) {
				shown++
			}
		}
		if shown != 1 {
			t.Errorf("an API secret was answered %d times, want once", shown)
		}
	}
}
