package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestChatTakesEveryContentType(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		contentType string
		content     map[string]any
		want        string
	}{
		{"text", map[string]any{"text": "hello", "extra": "x1"}, "text|hello|x1"},
		{"payload", map[string]any{"payload": "HOURS", "extra": "x2"}, "payload|HOURS|x2"},
		{"image", map[string]any{"url": "https://example.com/a.png", "extra": 3}, "image|https://example.com/a.png|3"},
		{"video", map[string]any{"url": "https://example.com/a.mp4"}, "video|https://example.com/a.mp4|-"},
		{"audio", map[string]any{"url": "https://example.com/a.mp3", "extra": true}, "audio|https://example.com/a.mp3|true"},
		{"file", map[string]any{"url": "https://example.com/a.pdf", "extra": "pdf"}, "file|https://example.com/a.pdf|pdf"},
		{"url", map[string]any{"url": "https://example.com", "extra": "link"}, "url|https://example.com|link"},
	} {
		r := f.chat(f.public(), event("ann", c.contentType, c.content, nil))
		if got := r.texts(); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: the bot said %q, want %q", c.contentType, got, c.want)
		}
	}
	// A flow trigger runs the flow it names, from its start.
	// (Signed: only private mode changes an existing user's metadata.)
	r := f.chat(f.signed(time.Now()), event("ann", "flow_trigger", map[string]any{"flow_id": "News", "close_flows": true}, map[string]any{"metadata": map[string]string{"name": "Ann"}}))
	if got := strings.Join(r.texts(), "/"); got != "news 1 for Ann/news 2" || !r.ConversationEnd {
		t.Errorf("flow_trigger: %q, conversation_end %v; want the News flow, ended", got, r.ConversationEnd)
	}
	// A content type the engine does not know is refused with a clear error.
	if code, msg := f.errorOf("POST", "/v1/api/chat", f.public(), event("ann", "sticker", map[string]any{"id": 1}, nil), http.StatusBadRequest); code != "invalid" || !strings.Contains(msg, "sticker") {
		t.Errorf("an unknown content type: %s %q", code, msg)
	}
}

func TestChatAnswersInCSMLStudiosShape(t *testing.T) {
	f := newFixture(t)
	before := time.Now().Add(-time.Second)
	body := event("bob", "text", map[string]any{"text": "hi"}, map[string]any{"request_id": "req-1", "metadata": map[string]string{"name": "Bob"}})
	signed := f.signed(time.Now())
	r := f.chat(signed, body)
	if r.RequestID != "req-1" || r.InteractionID == "" || !r.IsAuthorized || r.Livechat != nil {
		t.Errorf("answer %+v", r)
	}
	if r.Client.BotID != "echo" || r.Client.ChannelID != f.channel.ID || r.Client.UserID != "bob" {
		t.Errorf("client %+v", r.Client)
	}
	if r.ReceivedAt.Before(before) || len(r.Messages) != 1 || r.Messages[0].Direction != "SEND" || r.Messages[0].ConversationID == "" {
		t.Errorf("received_at %v, messages %+v", r.ReceivedAt, r.Messages)
	}
	// The same request id again is the same answer: nothing runs twice.
	again := f.chat(signed, body)
	if again.InteractionID != r.InteractionID || len(again.Messages) != 1 || again.Messages[0].ID != r.Messages[0].ID {
		t.Errorf("a retried request ran again: %+v then %+v", r, again)
	}
	// Without a request id, one is made.
	if r := f.chat(f.public(), event("bob", "text", map[string]any{"text": "hi"}, nil)); r.RequestID == "" {
		t.Error("no request id made")
	}
}

func TestChatRefusesBadRequestsNamingTheField(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		body   string
		status int
		says   string
	}{
		{`{"payload": {"content_type": "text", "content": {"text": "hi"}}}`, 400, "client.user_id"},
		{`{"client": {"user_id": "u"}}`, 400, "payload is missing"},
		{`{"client": {"user_id": "u"}, "payload": {"content": {"text": "hi"}}}`, 400, "payload.content_type"},
		{`{"client": {"user_id": "u"}, "payload": {"content_type": "text"}}`, 400, "payload.content"},
		{`{"client": {"user_id": "u"}, "payload": {"content_type": "text", "content": {}}}`, 400, "content.text"},
		{`{"client": {"user_id": "u", "bot_id": "other"}, "payload": {"content_type": "text", "content": {"text": "x"}}}`, 400, "client.bot_id"},
		{`{"client": {"user_id": "u"}, "payload": {"content_type": "text", "content": {"text": "x"}}, "metadata": [1]}`, 400, "metadata"},
		{`{"client": {"user_id": "u"}, "payload": {"content_type": "text", "content": {"text": "x"}}, "surprise": 1}`, 400, "surprise"},
		{`{"client": {"user_id": 5}}`, 400, "client.user_id"},
		{`{"client": `, 400, "malformed JSON"},
		{`{"client": {"user_id": "u"}, "payload": {"content_type": "text", "content": {"text": "x"}}, "callback_url": "https://x.example.com"}`, 403, "callback_url needs a signed request"},
	} {
		_, msg := f.errorOf("POST", "/v1/api/chat", f.public(), []byte(c.body), c.status)
		if !strings.Contains(msg, c.says) {
			t.Errorf("%s → %q, want it to say %q", c.body, msg, c.says)
		}
	}
	// Over the size limit: 413, before anything runs.
	big, _ := json.Marshal(map[string]any{"client": map[string]string{"user_id": "u"}, "payload": map[string]any{"content_type": "text", "content": map[string]string{"text": strings.Repeat("x", 300<<10)}}})
	if code, _ := f.errorOf("POST", "/v1/api/chat", f.public(), big, http.StatusRequestEntityTooLarge); code != "too_large" {
		t.Errorf("an oversized body: code %s", code)
	}
	// An event content over the engine's limit, in a body under the API's.
	fat, _ := json.Marshal(map[string]any{"client": map[string]string{"user_id": "u"}, "payload": map[string]any{"content_type": "text", "content": map[string]string{"text": strings.Repeat("x", 100<<10)}}})
	f.errorOf("POST", "/v1/api/chat", f.public(), fat, http.StatusRequestEntityTooLarge)
	// Unknown routes and methods answer JSON errors too.
	f.errorOf("GET", "/v1/api/nothing", f.public(), nil, http.StatusNotFound)
	f.errorOf("GET", "/v1/api/chat", f.public(), nil, http.StatusNotFound)
}

func TestPublicEndpointsAnswerBrowsersOfAnyOrigin(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("OPTIONS", f.base+"/v1/api/chat", nil)
	req.Header.Set("Origin", "https://shop.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type, x-api-key")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "X-Api-Key") {
		t.Fatalf("preflight → %d %v", res.StatusCode, res.Header)
	}
	if res := f.call("POST", "/v1/api/chat", f.public(), event("u", "text", map[string]any{"text": "x"}, nil), nil); res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("chat answer without Access-Control-Allow-Origin")
	}
	// Private endpoints are for servers: no CORS.
	if res := f.call("POST", "/v1/api/conversations/open", f.signed(time.Now()), []byte(`{"user_id":"u"}`), nil); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a private endpoint allows other origins")
	}
}
