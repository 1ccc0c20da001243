package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type page struct {
	Client struct {
		UserID string `json:"user_id"`
	} `json:"client"`
	Messages []struct {
		ID      int64 `json:"id"`
		Payload struct {
			Content struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"payload"`
	} `json:"messages"`
	HasMore bool `json:"has_more"`
}

func (p page) texts() []string {
	var out []string
	for _, m := range p.Messages {
		out = append(out, m.Payload.Content.Text)
	}
	return out
}

func TestHistoryPagesBackAndReadsForward(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.chat(f.public(), event("h", "text", map[string]any{"text": fmt.Sprint("m", i)}, nil))
	}
	f.chat(f.public(), event("other", "text", map[string]any{"text": "not h's"}, nil))
	get := func(query string) page {
		t.Helper()
		var p page
		if res := f.call("GET", "/v1/api/messages?user_id=h"+query, f.fresh(), nil, &p); res.StatusCode != http.StatusOK {
			t.Fatalf("history%s → %d", query, res.StatusCode)
		}
		return p
	}
	all := []string{"m1", "text|m1|-", "m2", "text|m2|-", "m3", "text|m3|-"}
	if p := get(""); !slices.Equal(p.texts(), all) || p.HasMore || p.Client.UserID != "h" {
		t.Fatalf("whole history: %q has_more %v", p.texts(), p.HasMore)
	}
	// Page back from the newest, 4 at a time.
	last := get("&limit=4")
	if !slices.Equal(last.texts(), all[2:]) || !last.HasMore {
		t.Fatalf("last page: %q has_more %v", last.texts(), last.HasMore)
	}
	prev := get(fmt.Sprintf("&limit=4&before=%d", last.Messages[0].ID))
	if !slices.Equal(prev.texts(), all[:2]) || prev.HasMore {
		t.Fatalf("page before: %q has_more %v", prev.texts(), prev.HasMore)
	}
	// Read forward from a known message, as a client back from offline does.
	next := get(fmt.Sprintf("&limit=2&after=%d", prev.Messages[1].ID))
	if !slices.Equal(next.texts(), all[2:4]) || !next.HasMore {
		t.Fatalf("page after: %q has_more %v", next.texts(), next.HasMore)
	}
	for _, c := range []struct{ query, says string }{
		{"&limit=0", "limit"}, {"&limit=501", "limit"}, {"&before=x", "before"},
		{"&before=1&after=1", "together"},
	} {
		if _, msg := f.errorOf("GET", "/v1/api/messages?user_id=h"+c.query, f.fresh(), nil, http.StatusBadRequest); !strings.Contains(msg, c.says) {
			t.Errorf("%s: %q", c.query, msg)
		}
	}
	f.errorOf("GET", "/v1/api/messages", f.fresh(), nil, http.StatusBadRequest)
}

func TestConversationsOpenAndClose(t *testing.T) {
	f := newFixture(t)
	var open struct {
		HasOpen      bool `json:"has_open"`
		Conversation *struct {
			ID       string            `json:"id"`
			FlowID   string            `json:"flow_id"`
			Status   string            `json:"status"`
			Metadata map[string]string `json:"metadata"`
		} `json:"conversation"`
	}
	user := []byte(`{"user_id": "c"}`)
	f.call("POST", "/v1/api/conversations/open", f.fresh(), user, &open)
	if open.HasOpen || open.Conversation != nil {
		t.Fatalf("before any message: %+v", open)
	}
	first := f.chat(f.public(), event("c", "text", map[string]any{"text": "hi"}, map[string]any{"metadata": map[string]string{"plan": "gold"}}))
	f.call("POST", "/v1/api/conversations/open", f.fresh(), user, &open)
	if !open.HasOpen || open.Conversation.ID != first.Messages[0].ConversationID || open.Conversation.FlowID != "Default" ||
		open.Conversation.Status != "OPEN" || open.Conversation.Metadata["plan"] != "gold" {
		t.Fatalf("open: %+v", open.Conversation)
	}
	var closed struct {
		Closed bool `json:"closed"`
	}
	f.call("POST", "/v1/api/conversations/close", f.fresh(), user, &closed)
	if !closed.Closed {
		t.Fatal("close: closed = false")
	}
	f.call("POST", "/v1/api/conversations/open", f.fresh(), user, &open)
	if open.HasOpen {
		t.Fatal("still open after close")
	}
	f.call("POST", "/v1/api/conversations/close", f.fresh(), user, &closed)
	if closed.Closed {
		t.Fatal("closing again closed something")
	}
	if again := f.chat(f.public(), event("c", "text", map[string]any{"text": "hi"}, nil)); again.Messages[0].ConversationID == first.Messages[0].ConversationID {
		t.Fatal("the next event continued the closed conversation")
	}
	if _, msg := f.errorOf("POST", "/v1/api/conversations/open", f.fresh(), []byte(`{}`), http.StatusBadRequest); !strings.Contains(msg, "user_id") {
		t.Errorf("without user_id: %q", msg)
	}
}
