package whatsappsim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestSubscribeNeedsTheChallengeEchoed: a receiver with another verify
// token, or that does not echo the challenge, is not subscribed.
func TestSubscribeNeedsTheChallengeEchoed(t *testing.T) {
	s := New(Config{})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wrong := newReceiver(t, "x", "another-token")
	if err := s.Subscribe(context.Background(), wrong.srv.URL); err == nil {
		t.Error("subscribed a receiver with another verify token")
	}
	mute := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer mute.Close()
	if err := s.Subscribe(context.Background(), mute.URL); err == nil {
		t.Error("subscribed a receiver that does not echo the challenge")
	}
	if s.Webhook() != "" || len(s.Verifications()) != 2 {
		t.Errorf("webhook %q, verifications %+v", s.Webhook(), s.Verifications())
	}
	if _, err := s.CustomerText(context.Background(), "16315551181", "Jane", "hi"); err != ErrNoWebhook {
		t.Errorf("a message with no webhook: %v", err)
	}
}

// TestFailedDeliveriesAreRetriedWithBackoff: a receiver answering 500
// gets the same signed bytes again, later each time, until it answers 200.
func TestFailedDeliveriesAreRetriedWithBackoff(t *testing.T) {
	s, rc := start(t, Config{RetryBase: 20 * time.Millisecond})
	ctx := wait(t)
	rc.mu.Lock()
	rc.fail = 3
	rc.mu.Unlock()
	began := time.Now()
	if _, err := s.CustomerText(ctx, "16315551181", "Jane", "are you there?"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	d := s.Deliveries()
	if len(d) != 1 || d[0].Attempts != 4 || !d[0].OK() {
		t.Fatalf("deliveries %+v", d)
	}
	if min := (20 + 40 + 80) * time.Millisecond; took < min {
		t.Errorf("4 attempts took %v, less than the backoff of %v (20+40+80 ms)", took, min)
	}
	if msgs, _ := rc.items(); len(msgs) != 1 || rc.hits != 4 {
		t.Errorf("the receiver took %d messages in %d calls", len(msgs), rc.hits)
	}
}

// TestDeliveriesGiveUpAfterRetryFor: Meta stops after 7 days; the
// simulator after RetryFor.
func TestDeliveriesGiveUpAfterRetryFor(t *testing.T) {
	s, rc := start(t, Config{RetryBase: 10 * time.Millisecond, RetryFor: 50 * time.Millisecond})
	ctx := wait(t)
	rc.mu.Lock()
	rc.fail = 1000
	rc.mu.Unlock()
	if _, err := s.CustomerText(ctx, "16315551181", "Jane", "hello?"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].OK() || d[0].Attempts != 3 || d[0].Status != 500 {
		t.Errorf("deliveries %+v (attempts at 0, 10 and 30 ms; the next, at 70 ms, is past 50 ms)", d)
	}
}

// TestChaosSwitches: batching puts several messages and statuses in one
// POST; duplicates post twice; reordered statuses come newest first; bad
// and missing signatures do not verify.
func TestChaosSwitches(t *testing.T) {
	s, rc := start(t, Config{})
	ctx := wait(t)
	s.SetBatch(true)
	for _, txt := range []string{"one", "two"} {
		if _, err := s.CustomerText(ctx, "16315551181", "Jane", txt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CustomerText(ctx, "447700900123", "Sam", "three"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	batch := rc.posts[0].Entry[0].Changes[0].Value
	rc.mu.Unlock()
	if len(batch.Messages) != 3 || len(batch.Contacts) != 2 {
		t.Fatalf("batched post: %d messages, %d contacts", len(batch.Messages), len(batch.Contacts))
	}
	s.SetBatch(false)

	s.SetReorderStatuses(true)
	_, out := send(t, s, text("16315551181", "reordered"))
	id := out["messages"].([]any)[0].(map[string]any)["id"]
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	var seq []any
	_, stats := rc.items()
	for _, st := range stats {
		if st["id"] == id {
			seq = append(seq, st["status"])
		}
	}
	if len(seq) != 3 || seq[0] != "read" || seq[2] != "sent" {
		t.Errorf("reordered statuses %v", seq)
	}
	if m, _ := s.WaitStatus(ctx, id.(string), StatusRead); m.Status != StatusRead {
		t.Errorf("a reordered message ends %q, not read", m.Status)
	}
	s.SetReorderStatuses(false)

	s.SetDuplicates(true)
	dup, _ := s.CustomerText(ctx, "16315551181", "Jane", "twice")
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	s.SetDuplicates(false)
	msgs, _ := rc.items()
	n := 0
	for _, m := range msgs {
		if m["id"] == dup {
			n++
		}
	}
	if n != 2 {
		t.Errorf("a duplicated message came %d times", n)
	}

	s.SetBadSignatures(true)
	s.CustomerText(ctx, "16315551181", "Jane", "forged")
	s.SetBadSignatures(false)
	s.SetUnsigned(true)
	s.CustomerText(ctx, "16315551181", "Jane", "unsigned")
	s.SetUnsigned(false)
	s.SetChaos(Chaos{})
	waitShort, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_ = s.WaitDeliveries(waitShort) // they are refused 401, and retried
	rc.mu.Lock()
	bad := rc.bad
	rc.mu.Unlock()
	if bad < 2 {
		t.Errorf("%d posts failed to verify, want the forged and the unsigned", bad)
	}
}

// TestLateStatuses: with late statuses, a message stays accepted for the
// delay, then reaches read.
func TestLateStatuses(t *testing.T) {
	s, _ := start(t, Config{StatusDelay: time.Millisecond})
	ctx := wait(t)
	s.CustomerText(ctx, "16315551181", "Jane", "hi")
	s.SetLateStatuses(300 * time.Millisecond)
	_, out := send(t, s, text("16315551181", "late"))
	id := out["messages"].([]any)[0].(map[string]any)["id"].(string)
	time.Sleep(100 * time.Millisecond)
	if m, _ := s.WaitStatus(ctx, id, StatusAccepted); m.Status != StatusAccepted {
		t.Errorf("100 ms in, the message is %q", m.Status)
	}
	if _, err := s.WaitStatus(ctx, id, StatusRead); err != nil {
		t.Error(err)
	}
}
