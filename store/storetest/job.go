package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchboard"
)

// job returns a job of a key, due and created at t0.
func job(k string, n int) switchboard.Job {
	return switchboard.Job{
		Kind:      "relay_message",
		Key:       k,
		Payload:   json.RawMessage(fmt.Sprintf(`{"n": %d, "key": %q, "nested": {"list": [1, "two"]}}`, n, k)),
		RunAt:     t0,
		CreatedAt: t0,
	}
}

// enqueue stores the jobs, setting their ids.
func enqueue(t *testing.T, s switchboard.Store, js ...*switchboard.Job) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for _, j := range js {
			if err := tx.EnqueueJob(t.Context(), j); err != nil {
				return err
			}
		}
		return nil
	})
}

// claim claims jobs at now with a 30s lease.
func claim(t *testing.T, s switchboard.Store, now time.Time, limit int) []switchboard.Job {
	t.Helper()
	var js []switchboard.Job
	update(t, s, func(tx switchboard.Tx) error {
		var err error
		js, err = tx.ClaimJobs(t.Context(), now, 30*time.Second, limit)
		return err
	})
	return js
}

// jobUpdate runs one job call in a write transaction.
func jobUpdate(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	update(t, s, fn)
}

func nextJobAt(t *testing.T, s switchboard.Store) *time.Time {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*time.Time, error) { return tx.NextJobAt(t.Context()) })
}

var jobTests = []test{
	{"ClaimGivesTheJobLeased", func(t *testing.T, s switchboard.Store) {
		a, b := job("a", 1), job("b", 2)
		b.Payload, b.CreatedAt, b.Kind = nil, at(-time.Hour), "end_session"
		enqueue(t, s, &a, &b)
		if a.ID == 0 || b.ID <= a.ID {
			t.Fatalf("EnqueueJob set ids %d then %d, want increasing ids", a.ID, b.ID)
		}
		got := claim(t, s, at(time.Second), 10)
		a.LeaseUntil, b.LeaseUntil = ptr(at(31*time.Second)), ptr(at(31*time.Second))
		equal(t, "ClaimJobs", got, []switchboard.Job{a, b})
	}},
	{"ZeroRunAtIsDueNow", func(t *testing.T, s switchboard.Store) {
		j := switchboard.Job{Kind: "k", Key: "a"}
		enqueue(t, s, &j)
		got := claim(t, s, time.Now().Add(time.Second), 10)
		equal(t, "ClaimJobs", ids(got, jobID), []int64{j.ID})
	}},
	{"OnlyDueJobsAreClaimed", func(t *testing.T, s switchboard.Store) {
		j := job("a", 1)
		j.RunAt = at(time.Minute)
		enqueue(t, s, &j)
		equal(t, "ClaimJobs before RunAt", ids(claim(t, s, at(59*time.Second), 10), jobID), []int64{})
		equal(t, "ClaimJobs at RunAt", ids(claim(t, s, at(time.Minute), 10), jobID), []int64{j.ID})
	}},
	{"ALeasedJobIsClaimedAgainOnlyAfterTheLease", func(t *testing.T, s switchboard.Store) {
		j := job("a", 1)
		enqueue(t, s, &j)
		equal(t, "first ClaimJobs", ids(claim(t, s, t0, 10), jobID), []int64{j.ID})
		equal(t, "ClaimJobs during the lease", ids(claim(t, s, at(29*time.Second), 10), jobID), []int64{})
		again := claim(t, s, at(31*time.Second), 10)
		equal(t, "ClaimJobs after the lease", ids(again, jobID), []int64{j.ID})
		// The worker that held it died before recording anything: that
		// attempt counts, so the next one knows the work may be done.
		equal(t, "Attempts after a lease ran out", again[0].Attempts, 1)
	}},
	{"OneJobPerKeyInOrder", func(t *testing.T, s switchboard.Store) {
		a1, a2, b1, a3, c1 := job("a", 1), job("a", 2), job("b", 1), job("a", 3), job("c", 1)
		enqueue(t, s, &a1, &a2, &b1, &a3, &c1)
		equal(t, "ClaimJobs", ids(claim(t, s, t0, 10), jobID), []int64{a1.ID, b1.ID, c1.ID})
		equal(t, "ClaimJobs while the heads run", ids(claim(t, s, at(time.Second), 10), jobID), []int64{})
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.CompleteJob(t.Context(), a1.ID) })
		equal(t, "ClaimJobs after a1 completed", ids(claim(t, s, at(2*time.Second), 10), jobID), []int64{a2.ID})
		jobUpdate(t, s, func(tx switchboard.Tx) error {
			if err := tx.CompleteJob(t.Context(), a2.ID); err != nil {
				return err
			}
			return tx.CompleteJob(t.Context(), b1.ID)
		})
		equal(t, "ClaimJobs after a2 completed", ids(claim(t, s, at(3*time.Second), 10), jobID), []int64{a3.ID})
	}},
	{"ARetriedJobHoldsBackItsKey", func(t *testing.T, s switchboard.Store) {
		a1, a2, b1 := job("a", 1), job("a", 2), job("b", 1)
		enqueue(t, s, &a1, &a2, &b1)
		equal(t, "ClaimJobs", ids(claim(t, s, t0, 10), jobID), []int64{a1.ID, b1.ID})
		jobUpdate(t, s, func(tx switchboard.Tx) error {
			if err := tx.CompleteJob(t.Context(), b1.ID); err != nil {
				return err
			}
			return tx.RetryJob(t.Context(), a1.ID, at(time.Minute), "platform down")
		})
		// a1 waits for its retry; a2 must not overtake it.
		equal(t, "ClaimJobs during the backoff", ids(claim(t, s, at(time.Second), 10), jobID), []int64{})
		got := claim(t, s, at(time.Minute), 10)
		a1.Attempts, a1.RunAt, a1.LastError, a1.LeaseUntil = 1, at(time.Minute), "platform down", ptr(at(time.Minute+30*time.Second))
		equal(t, "ClaimJobs after the backoff", got, []switchboard.Job{a1})
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.RetryJob(t.Context(), a1.ID, at(2*time.Minute), "still down") })
		got = claim(t, s, at(2*time.Minute), 10)
		if len(got) != 1 || got[0].ID != a1.ID || got[0].Attempts != 2 || got[0].LastError != "still down" {
			t.Errorf("ClaimJobs after the second retry = %+v, want a1 with 2 attempts", got)
		}
	}},
	{"ADelayedJobHoldsBackItsKey", func(t *testing.T, s switchboard.Store) {
		a1, a2 := job("a", 1), job("a", 2)
		a1.RunAt = at(time.Hour)
		enqueue(t, s, &a1, &a2)
		equal(t, "ClaimJobs", ids(claim(t, s, at(time.Minute), 10), jobID), []int64{})
		equal(t, "ClaimJobs once a1 is due", ids(claim(t, s, at(time.Hour), 10), jobID), []int64{a1.ID})
	}},
	{"BuryingUnblocksItsKey", func(t *testing.T, s switchboard.Store) {
		a1, a2 := job("a", 1), job("a", 2)
		enqueue(t, s, &a1, &a2)
		equal(t, "ClaimJobs", ids(claim(t, s, t0, 10), jobID), []int64{a1.ID})
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.RetryJob(t.Context(), a1.ID, at(time.Hour), "bad request") })
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.BuryJob(t.Context(), a1.ID, "bad request, for good") })
		equal(t, "ClaimJobs after burying a1", ids(claim(t, s, at(time.Second), 10), jobID), []int64{a2.ID})
		dead := read(t, s, func(tx switchboard.Tx) ([]switchboard.Job, error) { return tx.DeadJobs(t.Context(), 10) })
		if len(dead) != 1 {
			t.Fatalf("DeadJobs = %d jobs, want 1", len(dead))
		}
		d := dead[0]
		if d.ID != a1.ID || d.Kind != a1.Kind || d.Key != a1.Key || d.LastError != "bad request, for good" || d.Attempts < 1 {
			t.Errorf("dead job = %+v, want a1 with its last error and at least 1 attempt", d)
		}
		equal(t, "dead job payload", d.Payload, a1.Payload)
		equal(t, "dead job creation", d.CreatedAt, a1.CreatedAt)
	}},
	{"LimitTakesTheOldestFirst", func(t *testing.T, s switchboard.Store) {
		var js []*switchboard.Job
		for i := range 5 {
			j := job(fmt.Sprintf("k%d", 4-i), i) // keys in reverse, so ids and keys disagree
			js = append(js, &j)
		}
		enqueue(t, s, js...)
		equal(t, "ClaimJobs(2)", ids(claim(t, s, t0, 2), jobID), []int64{js[0].ID, js[1].ID})
		equal(t, "ClaimJobs(2) again", ids(claim(t, s, t0, 2), jobID), []int64{js[2].ID, js[3].ID})
		equal(t, "ClaimJobs(2) at last", ids(claim(t, s, t0, 2), jobID), []int64{js[4].ID})
	}},
	{"MissingJobIsNotFound", func(t *testing.T, s switchboard.Store) {
		j := job("a", 1)
		enqueue(t, s, &j)
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.CompleteJob(t.Context(), j.ID) })
		for name, fn := range map[string]func(tx switchboard.Tx) error{
			"CompleteJob": func(tx switchboard.Tx) error { return tx.CompleteJob(t.Context(), j.ID) },
			"RetryJob":    func(tx switchboard.Tx) error { return tx.RetryJob(t.Context(), j.ID, t0, "x") },
			"BuryJob":     func(tx switchboard.Tx) error { return tx.BuryJob(t.Context(), j.ID, "x") },
		} {
			wantCode(t, name, s.Update(t.Context(), fn), switchboard.ENOTFOUND)
		}
		equal(t, "ClaimJobs", ids(claim(t, s, at(time.Hour), 10), jobID), []int64{})
	}},
	{"NextJobAt", func(t *testing.T, s switchboard.Store) {
		if got := nextJobAt(t, s); got != nil {
			t.Errorf("NextJobAt of an empty outbox = %v, want nil", *got)
		}
		a1, a2, b1 := job("a", 1), job("a", 2), job("b", 1)
		a1.RunAt, a2.RunAt, b1.RunAt = at(time.Minute), t0, at(2*time.Minute)
		enqueue(t, s, &a1, &a2, &b1)
		// a2 is due first but waits for a1.
		equal(t, "NextJobAt", nextJobAt(t, s), ptr(at(time.Minute)))
		claim(t, s, at(time.Minute), 10) // a1, leased until 1m30s
		equal(t, "NextJobAt while a1 is leased", nextJobAt(t, s), ptr(at(time.Minute+30*time.Second)))
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.CompleteJob(t.Context(), a1.ID) })
		equal(t, "NextJobAt after a1", nextJobAt(t, s), ptr(t0))
		jobUpdate(t, s, func(tx switchboard.Tx) error {
			if err := tx.CompleteJob(t.Context(), a2.ID); err != nil {
				return err
			}
			return tx.CompleteJob(t.Context(), b1.ID)
		})
		if got := nextJobAt(t, s); got != nil {
			t.Errorf("NextJobAt of an emptied outbox = %v, want nil", *got)
		}
	}},
	{"JobStats", func(t *testing.T, s switchboard.Store) {
		stats := func() switchboard.JobStats {
			return read(t, s, func(tx switchboard.Tx) (switchboard.JobStats, error) { return tx.JobStats(t.Context()) })
		}
		equal(t, "JobStats of an empty outbox", stats(), switchboard.JobStats{})
		a, b, c := job("a", 1), job("b", 1), job("c", 1)
		a.CreatedAt, b.CreatedAt, c.CreatedAt = at(time.Minute), t0, at(2*time.Minute)
		enqueue(t, s, &a, &b, &c)
		claim(t, s, at(time.Hour), 10)
		equal(t, "JobStats", stats(), switchboard.JobStats{Pending: 3, Oldest: t0})
		jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.BuryJob(t.Context(), b.ID, "no") })
		equal(t, "JobStats after burying b", stats(), switchboard.JobStats{Pending: 2, Dead: 1, Oldest: at(time.Minute)})
		jobUpdate(t, s, func(tx switchboard.Tx) error {
			if err := tx.CompleteJob(t.Context(), a.ID); err != nil {
				return err
			}
			return tx.CompleteJob(t.Context(), c.ID)
		})
		equal(t, "JobStats after completing the rest", stats(), switchboard.JobStats{Dead: 1})
	}},
	{"DeadJobsNewestFirst", func(t *testing.T, s switchboard.Store) {
		var js []*switchboard.Job
		for i := range 3 {
			j := job(fmt.Sprintf("k%d", i), i)
			js = append(js, &j)
		}
		enqueue(t, s, js...)
		for _, i := range []int{1, 0, 2} { // burial order differs from id order
			jobUpdate(t, s, func(tx switchboard.Tx) error { return tx.BuryJob(t.Context(), js[i].ID, "no") })
		}
		dead := func(limit int) []int64 {
			return ids(read(t, s, func(tx switchboard.Tx) ([]switchboard.Job, error) { return tx.DeadJobs(t.Context(), limit) }), jobID)
		}
		equal(t, "DeadJobs(10)", dead(10), []int64{js[2].ID, js[0].ID, js[1].ID})
		equal(t, "DeadJobs(2)", dead(2), []int64{js[2].ID, js[0].ID})
		equal(t, "ClaimJobs", ids(claim(t, s, at(time.Hour), 10), jobID), []int64{})
	}},
}
