package storetest

import (
	"testing"
	"time"

	"switchboard"
)

// The tests of what monitoring reads: counts of live sessions and of timers.

var monitorTests = []test{
	{"CountLiveSessions", func(t *testing.T, s switchboard.Store) {
		count := func() map[switchboard.SessionState]int {
			return read(t, s, func(tx switchboard.Tx) (map[switchboard.SessionState]int, error) {
				return tx.CountLiveSessions(t.Context())
			})
		}
		equal(t, "CountLiveSessions of an empty store", count(),
			map[switchboard.SessionState]int{switchboard.SessionPending: 0, switchboard.SessionActive: 0})
		active := session("b", key(2), t0)
		active.State = switchboard.SessionActive
		createSessions(t, s, session("a", key(1), t0), active, session("c", key(3), t0),
			ended(session("d", key(4), t0), at(time.Minute)))
		equal(t, "CountLiveSessions", count(),
			map[switchboard.SessionState]int{switchboard.SessionPending: 2, switchboard.SessionActive: 1})
	}},
	{"TimerStats", func(t *testing.T, s switchboard.Store) {
		stats := func(now time.Time) switchboard.TimerStats {
			return read(t, s, func(tx switchboard.Tx) (switchboard.TimerStats, error) { return tx.TimerStats(t.Context(), now) })
		}
		equal(t, "TimerStats without timers", stats(t0), switchboard.TimerStats{})
		setTimers(t, s, timer("a", at(time.Minute)), timer("b", at(2*time.Minute)), timer("c", at(time.Hour)))
		equal(t, "TimerStats before any is due", stats(t0), switchboard.TimerStats{Total: 3})
		claimTimers(t, s, at(time.Minute), 1) // a leased: still due
		equal(t, "TimerStats with two due", stats(at(2*time.Minute)), switchboard.TimerStats{Total: 3, Due: 2, OldestDue: at(time.Minute)})
	}},
}
