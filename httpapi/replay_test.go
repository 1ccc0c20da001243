package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSameSecondSignedRequestsAreAnswered: CSML Studio signs KEY|TIMESTAMP
// in seconds, so an app's legitimate requests of one second share a
// signature. None of them is refused.
func TestSameSecondSignedRequestsAreAnswered(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	h := f.signed(now)
	// A user who sends the same text twice, each with its own request id.
	a := f.chat(h, event("twice", "text", map[string]any{"text": "yes"}, map[string]any{"request_id": "r-1"}))
	b := f.chat(h, event("twice", "text", map[string]any{"text": "yes"}, map[string]any{"request_id": "r-2"}))
	if a.InteractionID == b.InteractionID {
		t.Errorf("the second message did not run: %+v", b)
	}
	// A poll of conversations/open, twice in the same second.
	for i := 0; i < 2; i++ {
		if res := f.call("POST", "/v1/api/conversations/open", h, []byte(`{"user_id":"twice"}`), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("poll %d of conversations/open → %d", i+1, res.StatusCode)
		}
	}
	// A retry of the very same request, without a request id: the first
	// answer, not a second run.
	body := event("twice", "text", map[string]any{"text": "retry me"}, nil)
	c := f.chat(h, body)
	if d := f.chat(h, body); d.InteractionID != c.InteractionID || len(d.Messages) != 1 || d.Messages[0].ID != c.Messages[0].ID {
		t.Errorf("a retried request ran again: %+v then %+v", c, d)
	}
	// History: every message ran once.
	var page struct {
		Messages []struct{ Direction string } `json:"messages"`
	}
	f.call("GET", "/v1/api/messages?user_id=twice", f.signed(now), nil, &page)
	if len(page.Messages) != 6 {
		t.Errorf("history has %d messages, want 6 (three events, three replies)", len(page.Messages))
	}
}

// TestRequestIDNamesOneEvent: the same request_id with another payload is
// another event, refused with 409; it is never answered with the first
// one's reply.
func TestRequestIDNamesOneEvent(t *testing.T) {
	f := newFixture(t)
	// CSML Studio's documented example uses the literal id "random-id".
	first := f.chat(f.signed(time.Now()), event("copy", "text", map[string]any{"text": "Hello"}, map[string]any{"request_id": "random-id"}))
	var raw map[string]any
	res := f.call("POST", "/v1/api/chat", f.fresh(), event("copy", "text", map[string]any{"text": "Goodbye"}, map[string]any{"request_id": "random-id"}), &raw)
	if res.StatusCode != http.StatusConflict || raw["messages"] != nil {
		t.Fatalf("the same id with another text → %d %v, want 409 without the first reply", res.StatusCode, raw)
	}
	_, msg := f.errorOf("POST", "/v1/api/chat", f.fresh(), event("copy", "payload", map[string]any{"payload": "X"}, map[string]any{"request_id": "random-id"}), http.StatusConflict)
	if !strings.Contains(msg, "random-id") || !strings.Contains(msg, "new one for every new event") {
		t.Errorf("the refusal: %q", msg)
	}
	// The same event again (keys in another order) is a retry: the first answer.
	retry := []byte(`{"payload": {"content": {"text": "Hello"}, "content_type": "text"}, "request_id": "random-id", "client": {"user_id": "copy"}}`)
	if again := f.chat(f.fresh(), retry); again.InteractionID != first.InteractionID {
		t.Errorf("a retry got %+v, want the first answer %+v", again, first)
	}
}
