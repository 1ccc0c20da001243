package storetest

import (
	"testing"
	"time"

	"switchboard"
)

// queueTests check what the queue reads: a session's routing and claim, and
// the filters of a team's queue, of its recent claims and of a period.
var queueTests = []test{
	{"RoutingAndClaimRoundTrip", func(t *testing.T, s switchboard.Store) {
		ss := session("q1", key(1), at(0))
		ss.Routing = switchboard.Routing{Team: "billing", Priority: "high", Tags: []string{"vip", "fr"}, Note: "order 1234"}
		createSessions(t, s, ss)
		equal(t, "Session with routing", getSession(t, s, "q1"), &ss)

		ss.ClaimedAt, ss.QueuePosition, ss.QueueWait = ptr(at(3*time.Minute)), 2, 90*time.Second
		ss.Routing = switchboard.Routing{Team: "sales"}
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &ss) })
		equal(t, "Session claimed and moved", getSession(t, s, "q1"), &ss)
	}},
	{"QueueFilters", func(t *testing.T, s switchboard.Store) {
		billing, general := "billing", ""
		mk := func(id string, n int, team string, claimed time.Duration) switchboard.Session {
			ss := session(id, key(n), at(time.Duration(n)*time.Minute))
			ss.Team = team
			if claimed > 0 {
				ss.ClaimedAt = ptr(at(claimed))
			}
			return ss
		}
		createSessions(t, s,
			mk("b1", 1, "billing", 0), mk("g1", 2, "", 0), mk("b2", 3, "billing", 10*time.Minute),
			mk("b3", 4, "billing", 0), mk("g2", 5, "", 20*time.Minute))
		equal(t, "billing queue, oldest first", sessionIDs(t, s, switchboard.SessionFilter{Team: &billing, Unclaimed: true, OldestFirst: true}), []string{"b1", "b3"})
		equal(t, "general queue", sessionIDs(t, s, switchboard.SessionFilter{Team: &general, Unclaimed: true}), []string{"g1"})
		equal(t, "claimed after 5 minutes", sessionIDs(t, s, switchboard.SessionFilter{ClaimedAfter: at(5 * time.Minute)}), []string{"g2", "b2"})
		equal(t, "billing claimed", sessionIDs(t, s, switchboard.SessionFilter{Team: &billing, ClaimedAfter: at(0)}), []string{"b2"})
		equal(t, "created in [2m, 4m)", sessionIDs(t, s, switchboard.SessionFilter{CreatedFrom: at(2 * time.Minute), CreatedUntil: at(4 * time.Minute)}), []string{"b2", "g1"})
	}},
}
