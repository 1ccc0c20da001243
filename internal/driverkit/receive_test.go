package driverkit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"switchboard"
	"switchboard/store/sqlite"
)

// notifier counts the wake-ups of the outbox.
type notifier struct{ n int }

func (n *notifier) Notify(...string) { n.n++ }

// TestRecordKeepsADeliveryOnceWithItsJob records a delivery, then the same
// one again and another with the same message: one job is queued, the
// outbox woken once, and the job loads back with its session gone.
func TestRecordKeepsADeliveryOnceWithItsJob(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	wake := &notifier{}
	rc := NewReceiver(Receiver{Platform: "acme", Store: store, Notifier: wake})
	type payload struct {
		SessionID string `json:"session_id"`
		MessageID string `json:"message_id"`
	}
	record := func(delivery string) string {
		t.Helper()
		p := payload{SessionID: "s1", MessageID: "m1"}
		marks := []Mark{{Kind: "delivery", Scope: p.SessionID, ID: delivery}, {Kind: "message", Scope: p.SessionID, ID: p.MessageID}}
		status, err := rc.Record(ctx, marks, Job{Kind: "acme.sync", Key: SessionKey(p.SessionID), Payload: p})
		if err != nil {
			t.Fatal(err)
		}
		return status
	}
	if got := []string{record("d1"), record("d1"), record("d2")}; got[0] != Queued || got[1] != Duplicate || got[2] != Duplicate {
		t.Errorf("statuses %v", got)
	}
	var jobs []switchboard.Job
	err = store.Update(ctx, func(tx switchboard.Tx) error {
		jobs, err = tx.ClaimJobs(ctx, time.Now().Add(time.Minute), time.Minute, 10)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Kind != "acme.sync" || jobs[0].Key != "session:s1" || wake.n != 1 {
		t.Fatalf("jobs %+v, %d wake-ups", jobs, wake.n)
	}
	var p payload
	s, _, err := rc.Load(ctx, jobs[0], &p)
	if err != nil || s != nil || p.MessageID != "m1" {
		t.Errorf("load of a job whose session is gone: %v %v %+v", s, err, p)
	}
	if _, _, err := rc.Load(ctx, switchboard.Job{Kind: "acme.sync", Payload: []byte("{")}, &p); err == nil {
		t.Error("a payload that does not decode loads")
	}
}
