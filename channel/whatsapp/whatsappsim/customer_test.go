package whatsappsim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestTemplateQuickReplyReopensTheWindow: outside the window a template
// with quick replies goes through; its tap is a "button" message with the
// payload, which opens the window again.
func TestTemplateQuickReplyReopensTheWindow(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s, rc := start(t, Config{Now: func() time.Time { return now }})
	ctx := wait(t)
	s.AddTemplate("agent_replied", "en", "An agent answered you. Continue?", "Yes please", "No thanks")
	status, out := send(t, s, map[string]any{"to": "16315551181", "type": "template", "template": map[string]any{"name": "agent_replied", "language": map[string]any{"code": "en"},
		"components": []any{map[string]any{"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": []any{map[string]any{"type": "payload", "payload": "REOPEN"}}}}}})
	if status != 200 {
		t.Fatalf("template: %d %v", status, out)
	}
	if _, err := s.CustomerPress(ctx, "16315551181", "Jane", "REOPEN"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CustomerPress(ctx, "16315551181", "Jane", "No thanks"); err != nil {
		t.Errorf("a quick reply without a payload is pressed by its title: %v", err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, _ := rc.items()
	if len(msgs) != 2 || msgs[0]["type"] != "button" || msgs[0]["button"].(map[string]any)["payload"] != "REOPEN" || msgs[0]["button"].(map[string]any)["text"] != "Yes please" {
		t.Fatalf("the taps: %v", msgs)
	}
	if status, _ := send(t, s, text("16315551181", "Welcome back")); status != 200 {
		t.Fatal("text after the tap refused")
	}
	sent, _ := s.WaitOutbound(ctx, "16315551181", 2)
	if m, err := s.WaitStatus(ctx, sent[1].ID, StatusRead); err != nil || m.Error != nil {
		t.Errorf("the text after the tap: %+v %v", m, err)
	}
}

// TestMarkReadShowsTyping: marking a customer's message read with a typing
// indicator shows "typing" until the business answers; an unknown message
// id is refused.
func TestMarkReadShowsTyping(t *testing.T) {
	s, _ := start(t, Config{})
	ctx := wait(t)
	id, _ := s.CustomerText(ctx, "16315551181", "Jane", "hello")
	read := map[string]any{"status": "read", "message_id": id, "typing_indicator": map[string]any{"type": "text"}}
	if status, out := send(t, s, read); status != 200 || out["success"] != true {
		t.Fatalf("mark read: %d %v", status, out)
	}
	cv := s.Conversations()[0]
	if !cv.Typing || !cv.Entries[0].In.Read {
		t.Errorf("after mark read: %+v", cv)
	}
	send(t, s, text("16315551181", "Hi!"))
	if s.Conversations()[0].Typing {
		t.Error("still typing after the answer")
	}
	if status, out := send(t, s, map[string]any{"status": "read", "message_id": "wamid.nope"}); status != 400 || errCode(out) != 100 {
		t.Errorf("mark read of an unknown message: %d %v", status, out)
	}
}

// TestSlowReceiverIsRetried: an answer later than WebhookTimeout counts as
// a failure, and the call is made again.
func TestSlowReceiverIsRetried(t *testing.T) {
	var calls atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Write([]byte(r.URL.Query().Get("hub.challenge")))
			return
		}
		if calls.Add(1) == 1 {
			time.Sleep(300 * time.Millisecond)
		}
	}))
	defer slow.Close()
	s := New(Config{WebhookTimeout: 100 * time.Millisecond, RetryBase: 10 * time.Millisecond})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := wait(t)
	if err := s.Subscribe(ctx, slow.URL); err != nil {
		t.Fatal(err)
	}
	s.CustomerText(ctx, "16315551181", "Jane", "anyone?")
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].Attempts != 2 || !d[0].OK() {
		t.Errorf("deliveries %+v", d)
	}
}

// TestOtherCustomerMessages: reactions, locations and unsupported
// messages in Meta's shapes; a batch mixes messages and statuses.
func TestOtherCustomerMessages(t *testing.T) {
	s, rc := start(t, Config{})
	ctx := wait(t)
	s.SetBatch(true)
	first, _ := s.CustomerText(ctx, "16315551181", "Jane", "hi")
	_, out := send(t, s, text("16315551181", "Hello Jane"))
	ours := out["messages"].([]any)[0].(map[string]any)["id"].(string)
	s.CustomerReaction(ctx, "16315551181", "Jane", ours, "👍")
	s.CustomerLocation(ctx, "16315551181", "Jane", 48.8584, 2.2945)
	s.CustomerUnsupported(ctx, "16315551181", "Jane")
	if err := s.WaitDeliveries(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs, stats := rc.items()
	if len(msgs) != 4 || msgs[0]["id"] != first || len(stats) != 3 {
		t.Fatalf("%d messages, %d statuses", len(msgs), len(stats))
	}
	if r := msgs[1]["reaction"].(map[string]any); r["message_id"] != ours || r["emoji"] != "👍" {
		t.Errorf("reaction %v", msgs[1])
	}
	if l := msgs[2]["location"].(map[string]any); l["latitude"] != 48.8584 {
		t.Errorf("location %v", msgs[2])
	}
	if msgs[3]["type"] != "unsupported" || msgs[3]["errors"].([]any)[0].(map[string]any)["code"] != float64(131051) {
		t.Errorf("unsupported %v", msgs[3])
	}
	rc.mu.Lock()
	posts := len(rc.posts)
	rc.mu.Unlock()
	if posts >= 7 {
		t.Errorf("batching made %d posts for 7 events", posts)
	}
}
