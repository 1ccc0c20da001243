package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
)

func timer(key string, due time.Time) switchboard.Timer {
	return switchboard.Timer{
		Key:     key,
		Kind:    "session_expiry",
		Payload: json.RawMessage(`{"session_id": "` + key + `", "n": [1, 2]}`),
		DueAt:   due,
	}
}

func setTimers(t *testing.T, s switchboard.Store, ts ...switchboard.Timer) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range ts {
			if err := tx.SetTimer(t.Context(), &ts[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// claimTimers claims timers at now with a 30s lease.
func claimTimers(t *testing.T, s switchboard.Store, now time.Time, limit int) []switchboard.Timer {
	t.Helper()
	var ts []switchboard.Timer
	update(t, s, func(tx switchboard.Tx) error {
		var err error
		ts, err = tx.ClaimTimers(t.Context(), now, 30*time.Second, limit)
		return err
	})
	return ts
}

func timerKeys(ts []switchboard.Timer) []string {
	out := []string{}
	for _, tm := range ts {
		out = append(out, tm.Key)
	}
	return out
}

func nextTimerAt(t *testing.T, s switchboard.Store) *time.Time {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*time.Time, error) { return tx.NextTimerAt(t.Context()) })
}

var timerTests = []test{
	{"ClaimGivesDueTimersLeased", func(t *testing.T, s switchboard.Store) {
		a, b, c := timer("a", at(time.Minute)), timer("b", t0), timer("c", at(time.Hour))
		b.Payload = nil
		setTimers(t, s, a, b, c)
		got := claimTimers(t, s, at(time.Minute), 10)
		a.LeaseUntil, b.LeaseUntil = ptr(at(time.Minute+30*time.Second)), ptr(at(time.Minute+30*time.Second))
		equal(t, "ClaimTimers", got, []switchboard.Timer{b, a})
	}},
	{"ALeasedTimerIsClaimedAgainOnlyAfterTheLease", func(t *testing.T, s switchboard.Store) {
		setTimers(t, s, timer("a", t0))
		equal(t, "ClaimTimers", timerKeys(claimTimers(t, s, t0, 10)), []string{"a"})
		equal(t, "ClaimTimers during the lease", timerKeys(claimTimers(t, s, at(29*time.Second), 10)), []string{})
		equal(t, "ClaimTimers after the lease", timerKeys(claimTimers(t, s, at(31*time.Second), 10)), []string{"a"})
	}},
	{"SetTimerMovesItAndReleasesTheLease", func(t *testing.T, s switchboard.Store) {
		setTimers(t, s, timer("a", t0))
		equal(t, "ClaimTimers", timerKeys(claimTimers(t, s, t0, 10)), []string{"a"})
		// Moved while leased: a second timer is not added, and the lease is gone.
		moved := timer("a", at(time.Minute))
		moved.Kind, moved.Payload = "other_kind", json.RawMessage(`{"moved": true}`)
		setTimers(t, s, moved)
		equal(t, "ClaimTimers before the new time", timerKeys(claimTimers(t, s, at(time.Second), 10)), []string{})
		got := claimTimers(t, s, at(time.Minute), 10)
		moved.LeaseUntil = ptr(at(time.Minute + 30*time.Second))
		equal(t, "ClaimTimers at the new time", got, []switchboard.Timer{moved})
		// Moved earlier than its lease ends: claimable at once.
		setTimers(t, s, timer("a", at(time.Minute)))
		equal(t, "ClaimTimers after moving a leased timer", timerKeys(claimTimers(t, s, at(time.Minute), 10)), []string{"a"})
	}},
	{"DeleteTimer", func(t *testing.T, s switchboard.Store) {
		setTimers(t, s, timer("a", t0), timer("b", t0))
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.DeleteTimer(t.Context(), "a"); err != nil {
				return err
			}
			return tx.DeleteTimer(t.Context(), "never set")
		})
		equal(t, "ClaimTimers", timerKeys(claimTimers(t, s, at(time.Hour), 10)), []string{"b"})
	}},
	{"LimitTakesTheEarliestFirst", func(t *testing.T, s switchboard.Store) {
		setTimers(t, s, timer("a", at(3*time.Second)), timer("b", at(time.Second)), timer("c", at(2*time.Second)))
		equal(t, "ClaimTimers(2)", timerKeys(claimTimers(t, s, at(time.Hour), 2)), []string{"b", "c"})
		equal(t, "ClaimTimers(2) again", timerKeys(claimTimers(t, s, at(time.Hour), 2)), []string{"a"})
	}},
	{"NextTimerAt", func(t *testing.T, s switchboard.Store) {
		if got := nextTimerAt(t, s); got != nil {
			t.Errorf("NextTimerAt without timers = %v, want nil", *got)
		}
		setTimers(t, s, timer("a", at(time.Minute)), timer("b", at(2*time.Minute)))
		equal(t, "NextTimerAt", nextTimerAt(t, s), ptr(at(time.Minute)))
		claimTimers(t, s, at(time.Minute), 1) // a, leased until 1m30s
		equal(t, "NextTimerAt while a is leased", nextTimerAt(t, s), ptr(at(time.Minute+30*time.Second)))
		setTimers(t, s, timer("c", at(time.Second)))
		equal(t, "NextTimerAt after setting an earlier timer", nextTimerAt(t, s), ptr(at(time.Second)))
		update(t, s, func(tx switchboard.Tx) error {
			for _, k := range []string{"a", "b", "c"} {
				if err := tx.DeleteTimer(t.Context(), k); err != nil {
					return err
				}
			}
			return nil
		})
		if got := nextTimerAt(t, s); got != nil {
			t.Errorf("NextTimerAt after deleting every timer = %v, want nil", *got)
		}
	}},
}
