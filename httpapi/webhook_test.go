package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestChannelWebhook: a webhook set on the API channel receives the
// asynchronous messages of users who gave no callback_url, in the Chat
// API's shape and signed; synchronous replies only when asked.
func TestChannelWebhook(t *testing.T) {
	f := newFixture(t)
	hook := newReceiver(t, f.secret, never)
	own := newReceiver(t, f.secret, never)

	// Setting it needs a signed request; a bad URL is refused.
	f.errorOf("PUT", "/v1/api/webhook", f.public(), []byte(`{"url": "`+hook.srv.URL+`"}`), http.StatusUnauthorized)
	f.errorOf("PUT", "/v1/api/webhook", f.fresh(), []byte(`{"url": "ftp://example.com"}`), http.StatusBadRequest)
	var set struct {
		URL         string `json:"url"`
		SyncReplies bool   `json:"sync_replies"`
	}
	f.ok("PUT", "/v1/api/webhook", `{"url": "`+hook.srv.URL+`/studio"}`, &set)
	f.ok("GET", "/v1/api/webhook", "", &set)
	if set.URL != hook.srv.URL+"/studio" || set.SyncReplies {
		t.Fatalf("GET /v1/api/webhook: %+v", set)
	}

	// A chat's reply is in its answer, not posted again.
	f.chat(f.public(), event("w1", "text", map[string]any{"text": "sync"}, nil))
	// A broadcast to a user without a callback_url reaches the webhook.
	var b struct {
		RequestID string `json:"request_id"`
	}
	if res := f.call("POST", "/v1/api/broadcasts", f.public(), event("w2", "flow_trigger", map[string]any{"flow_id": "News"}, nil), &b); res.StatusCode != http.StatusOK {
		t.Fatalf("broadcast → %d", res.StatusCode)
	}
	waitFor(t, "the broadcast at the webhook", func() bool { return len(hook.texts()) == 2 })
	if got := hook.texts(); !slices.Equal(got, []string{"news 1 for Null", "news 2"}) {
		t.Errorf("the webhook got %q", got)
	}
	var body struct {
		RequestID     string    `json:"request_id"`
		InteractionID string    `json:"interaction_id"`
		ReceivedAt    time.Time `json:"received_at"`
		IsAuthorized  bool      `json:"is_authorized"`
		Client        struct {
			ChannelID string `json:"channel_id"`
			UserID    string `json:"user_id"`
		} `json:"client"`
		Messages []json.RawMessage `json:"messages"`
	}
	hook.mu.Lock()
	_ = json.Unmarshal(hook.bodies[0], &body)
	hook.mu.Unlock()
	if body.RequestID != b.RequestID || body.InteractionID == "" || body.ReceivedAt.IsZero() || !body.IsAuthorized || body.Client.UserID != "w2" || body.Client.ChannelID != f.channel.ID || len(body.Messages) != 1 {
		t.Errorf("a webhook body in the Chat API's shape: %+v", body)
	}
	// Numbered as in a chat answer: 0, then 1.
	for i, want := range []int{0, 1} {
		var m struct {
			Messages []struct {
				InteractionOrder int `json:"interaction_order"`
			} `json:"messages"`
		}
		hook.mu.Lock()
		_ = json.Unmarshal(hook.bodies[i], &m)
		hook.mu.Unlock()
		if len(m.Messages) != 1 || m.Messages[0].InteractionOrder != want {
			t.Errorf("broadcast message %d: %+v, want interaction_order %d", i, m, want)
		}
	}

	// A user's own callback_url wins over the channel's webhook.
	f.chat(f.fresh(), event("w3", "text", map[string]any{"text": "hi"}, map[string]any{"callback_url": own.srv.URL}))
	f.call("POST", "/v1/api/broadcasts", f.public(), event("w3", "flow_trigger", map[string]any{"flow_id": "News"}, nil), nil)
	waitFor(t, "the broadcast at the user's callback", func() bool { return len(own.texts()) == 2 })

	// Asked for, synchronous replies are posted too.
	f.ok("PUT", "/v1/api/webhook", `{"url": "`+hook.srv.URL+`/studio", "sync_replies": true}`, &set)
	f.chat(f.public(), event("w1", "text", map[string]any{"text": "now posted"}, nil))
	waitFor(t, "the synchronous reply at the webhook", func() bool { return len(hook.texts()) == 3 })
	if got := hook.texts(); got[2] != "text|now posted|-" || slices.Contains(got, "text|sync|-") {
		t.Errorf("the webhook got %q", got)
	}
}
