package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchboard"
)

// session returns a pending session of a client, created at created.
func session(id string, k switchboard.ClientKey, created time.Time) switchboard.Session {
	return switchboard.Session{
		ID:             id,
		Client:         k,
		Platform:       "gorgias",
		State:          switchboard.SessionPending,
		Metadata:       json.RawMessage(`{"firstname": "Ann", "custom": {"plan": "gold"}}`),
		Timeout:        45*time.Minute + 250*time.Millisecond,
		CreatedAt:      created,
		LastActivityAt: created,
	}
}

// ended returns s ended at t.
func ended(s switchboard.Session, t time.Time) switchboard.Session {
	s.State, s.EndReason, s.EndedAt = switchboard.SessionEnded, switchboard.EndUser, &t
	return s
}

func createSessions(t *testing.T, s switchboard.Store, ss ...switchboard.Session) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range ss {
			if err := tx.CreateSession(t.Context(), &ss[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func getSession(t *testing.T, s switchboard.Store, id string) *switchboard.Session {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Session, error) { return tx.Session(t.Context(), id) })
}

func findLive(t *testing.T, s switchboard.Store, k switchboard.ClientKey) *switchboard.Session {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Session, error) { return tx.FindLiveSession(t.Context(), k) })
}

var sessionTests = []test{
	{"RoundTripThroughItsLife", func(t *testing.T, s switchboard.Store) {
		ss := session("s1", key(1), at(0))
		createSessions(t, s, ss)
		equal(t, "Session when pending", getSession(t, s, "s1"), &ss)

		ss.State, ss.ExternalID, ss.ActivatedAt = switchboard.SessionActive, "ticket-42", ptr(at(time.Second))
		ss.AgentID, ss.AgentName, ss.FirstReplyAt, ss.LastActivityAt = "agent1", "Zoé", ptr(at(time.Minute)), at(time.Minute)
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &ss) })
		equal(t, "Session when active", getSession(t, s, "s1"), &ss)

		ss = ended(ss, at(time.Hour))
		ss.EndReason, ss.Error, ss.Metadata = switchboard.EndError, "platform said no", nil
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &ss) })
		equal(t, "Session when ended", getSession(t, s, "s1"), &ss)
	}},
	{"TimeoutRoundTrips", func(t *testing.T, s switchboard.Store) {
		for i, d := range []time.Duration{time.Minute, 30 * time.Minute, 7 * 24 * time.Hour, 90*time.Second + 1500*time.Microsecond} {
			ss := session("s", key(i), at(0))
			ss.ID += ss.Client.UserID
			ss.Timeout = d
			createSessions(t, s, ss)
			if got := getSession(t, s, ss.ID); got.Timeout != d {
				t.Errorf("Timeout = %v, want %v", got.Timeout, d)
			}
		}
	}},
	{"MissingIsNotFound", func(t *testing.T, s switchboard.Store) {
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.Session(t.Context(), "nope"); return err })
		wantCode(t, "Session", err, switchboard.ENOTFOUND)
		ss := session("nope", key(1), at(0))
		err = s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &ss) })
		wantCode(t, "UpdateSession", err, switchboard.ENOTFOUND)
	}},
	{"SessionsByID", func(t *testing.T, s switchboard.Store) {
		live, done := session("s1", key(1), at(0)), ended(session(`s"2,{x}`, key(2), at(0)), at(time.Minute))
		other := session("s3", key(3), at(time.Second))
		createSessions(t, s, live, done, other)
		sessions := func(ids ...string) map[string]switchboard.Session {
			t.Helper()
			return read(t, s, func(tx switchboard.Tx) (map[string]switchboard.Session, error) { return tx.Sessions(t.Context(), ids) })
		}
		equal(t, "Sessions(s3, nope, s1, s1, s\"2,{x})", sessions("s3", "nope", "s1", "s1", done.ID),
			map[string]switchboard.Session{"s1": live, done.ID: done, "s3": other})
		equal(t, "Sessions(nope)", sessions("nope"), map[string]switchboard.Session{})
		equal(t, "Sessions()", sessions(), map[string]switchboard.Session{})
		// Many ids at once, most unknown: past any store's limit of
		// parameters in one statement.
		many := []string{"s3"}
		for i := range 2000 {
			many = append(many, fmt.Sprintf("unknown-%d", i))
		}
		equal(t, "Sessions(s3 and 2,000 unknown)", sessions(many...), map[string]switchboard.Session{"s3": other})
	}},
	{"CreatingAnExistingIDConflicts", func(t *testing.T, s switchboard.Store) {
		first := ended(session("s1", key(1), at(0)), at(time.Minute))
		createSessions(t, s, first)
		again := session("s1", key(2), at(time.Hour))
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.CreateSession(t.Context(), &again) })
		wantCode(t, "CreateSession", err, switchboard.ECONFLICT)
		equal(t, "Session", getSession(t, s, "s1"), &first)
	}},
	{"AClientHasOneLiveSessionAtMost", func(t *testing.T, s switchboard.Store) {
		first := session("s1", key(1), at(0))
		createSessions(t, s, first)
		second := session("s2", key(1), at(time.Minute))
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.CreateSession(t.Context(), &second) })
		wantCode(t, "CreateSession of a second live session", err, switchboard.ECONFLICT)
		// Once the first has ended, a new one may start; reviving the old one may not.
		first = ended(first, at(time.Minute))
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &first) })
		createSessions(t, s, second)
		first.State, first.EndedAt, first.EndReason = switchboard.SessionActive, nil, ""
		err = s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &first) })
		wantCode(t, "UpdateSession making a second live session", err, switchboard.ECONFLICT)
		// Other clients are not affected.
		createSessions(t, s, session("s3", key(2), at(time.Minute)))
	}},
	{"FindLiveSession", func(t *testing.T, s switchboard.Store) {
		if got := findLive(t, s, key(1)); got != nil {
			t.Errorf("FindLiveSession without sessions = %+v", got)
		}
		old := ended(session("old", key(1), at(0)), at(time.Minute))
		createSessions(t, s, old, session("theirs", key(2), at(0)))
		if got := findLive(t, s, key(1)); got != nil {
			t.Errorf("FindLiveSession with only an ended session = %+v", got)
		}
		live := session("live", key(1), at(2*time.Minute))
		createSessions(t, s, live)
		equal(t, "FindLiveSession of a pending session", findLive(t, s, key(1)), &live)
		live.State, live.ActivatedAt = switchboard.SessionActive, ptr(at(3*time.Minute))
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &live) })
		equal(t, "FindLiveSession of an active session", findLive(t, s, key(1)), &live)
		live = ended(live, at(4*time.Minute))
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &live) })
		if got := findLive(t, s, key(1)); got != nil {
			t.Errorf("FindLiveSession after the end = %+v", got)
		}
	}},
	{"FindSessionByExternalID", func(t *testing.T, s switchboard.Store) {
		g := session("g", key(1), at(0))
		g.ExternalID = "42"
		c := session("c", key(2), at(0))
		c.Platform, c.ExternalID = "chatwoot", "42"
		none := session("none", key(3), at(0))
		createSessions(t, s, g, c, none)
		find := func(platform, id string) *switchboard.Session {
			return read(t, s, func(tx switchboard.Tx) (*switchboard.Session, error) {
				return tx.FindSessionByExternalID(t.Context(), platform, id)
			})
		}
		equal(t, "FindSessionByExternalID(gorgias, 42)", find("gorgias", "42"), &g)
		equal(t, "FindSessionByExternalID(chatwoot, 42)", find("chatwoot", "42"), &c)
		if got := find("gorgias", "43"); got != nil {
			t.Errorf("FindSessionByExternalID of an unknown id = %+v", got)
		}
		if got := find("desk", "42"); got != nil {
			t.Errorf("FindSessionByExternalID on another platform = %+v", got)
		}
	}},
	{"ListSessionsOfAClient", func(t *testing.T, s switchboard.Store) {
		// A customer's sessions, newest first, and no one else's.
		createSessions(t, s,
			ended(session("a", key(1), at(0)), at(time.Minute)),
			ended(session("b", key(2), at(2*time.Minute)), at(3*time.Minute)),
			ended(session("c", key(1), at(4*time.Minute)), at(5*time.Minute)),
			session("d", key(1), at(6*time.Minute)),
		)
		list := func(f switchboard.SessionFilter) []string { return sessionIDs(t, s, f) }
		k1, k3 := key(1), key(3)
		equal(t, "ListSessions(client 1)", list(switchboard.SessionFilter{Client: &k1}), []string{"d", "c", "a"})
		equal(t, "ListSessions(client 1, ended, limit 1)", list(switchboard.SessionFilter{
			Client: &k1, States: []switchboard.SessionState{switchboard.SessionEnded}, Limit: 1}), []string{"c"})
		equal(t, "ListSessions(client 1, after d)", list(switchboard.SessionFilter{Client: &k1, After: "d"}), []string{"c", "a"})
		equal(t, "ListSessions(client without sessions)", list(switchboard.SessionFilter{Client: &k3}), []string{})
	}},
	{"ListSessions", func(t *testing.T, s switchboard.Store) {
		other := func(ss switchboard.Session) switchboard.Session { ss.Client.BotID = "bot2"; return ss }
		active := func(ss switchboard.Session) switchboard.Session {
			ss.State, ss.ActivatedAt = switchboard.SessionActive, ptr(ss.CreatedAt.Add(time.Second))
			return ss
		}
		// Created one minute apart, in this order.
		all := []switchboard.Session{
			ended(session("a", key(1), at(0)), at(10*time.Minute)),                   // 0
			other(ended(session("b", key(2), at(1*time.Minute)), at(5*time.Minute))), // 1
			active(session("c", key(3), at(2*time.Minute))),                          // 2
			ended(session("d", key(4), at(3*time.Minute)), at(4*time.Minute)),        // 3
			other(session("e", key(5), at(4*time.Minute))),                           // 4
			session("f", key(6), at(5*time.Minute)),                                  // 5
		}
		createSessions(t, s, all...)
		list := func(f switchboard.SessionFilter) []string { return sessionIDs(t, s, f) }
		equal(t, "ListSessions(everything)", list(switchboard.SessionFilter{}), []string{"f", "e", "d", "c", "b", "a"})
		equal(t, "ListSessions(bot1)", list(switchboard.SessionFilter{BotID: "bot1"}), []string{"f", "d", "c", "a"})
		equal(t, "ListSessions(pending, active)", list(switchboard.SessionFilter{
			States: []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}}), []string{"f", "e", "c"})
		equal(t, "ListSessions(ended)", list(switchboard.SessionFilter{
			States: []switchboard.SessionState{switchboard.SessionEnded}}), []string{"d", "b", "a"})
		equal(t, "ListSessions(ended after 4m30s)", list(switchboard.SessionFilter{EndedAfter: at(4*time.Minute + 30*time.Second)}),
			[]string{"f", "e", "c", "b", "a"})
		equal(t, "ListSessions(limit 2)", list(switchboard.SessionFilter{Limit: 2}), []string{"f", "e"})
		equal(t, "ListSessions(bot1, ended, ended after 4m30s)", list(switchboard.SessionFilter{
			BotID: "bot1", States: []switchboard.SessionState{switchboard.SessionEnded}, EndedAfter: at(4*time.Minute + 30*time.Second)}),
			[]string{"a"})
		equal(t, "ListSessions(bot1, limit 3)", list(switchboard.SessionFilter{BotID: "bot1", Limit: 3}), []string{"f", "d", "c"})
		equal(t, "ListSessions(unknown bot)", list(switchboard.SessionFilter{BotID: "nope"}), []string{})
		equal(t, "ListSessions(bots bot2, nope)", list(switchboard.SessionFilter{BotIDs: []string{"bot2", "nope"}}), []string{"e", "b"})
		equal(t, "ListSessions(bots bot1, bot2, live)", list(switchboard.SessionFilter{BotIDs: []string{"bot1", "bot2"},
			States: []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}}), []string{"f", "e", "c"})
		equal(t, "ListSessions(no bots)", list(switchboard.SessionFilter{BotIDs: []string{}}), []string{})
		// Paging: each page starts after the last entry of the one before.
		equal(t, "ListSessions(limit 2, after e)", list(switchboard.SessionFilter{Limit: 2, After: "e"}), []string{"d", "c"})
		equal(t, "ListSessions(limit 2, after c)", list(switchboard.SessionFilter{Limit: 2, After: "c"}), []string{"b", "a"})
		equal(t, "ListSessions(after a)", list(switchboard.SessionFilter{After: "a"}), []string{})
		equal(t, "ListSessions(bot1, after d)", list(switchboard.SessionFilter{BotID: "bot1", After: "d"}), []string{"c", "a"})
		equal(t, "ListSessions(oldest first, limit 2, after b)", list(switchboard.SessionFilter{OldestFirst: true, Limit: 2, After: "b"}),
			[]string{"c", "d"})
		equal(t, "ListSessions(after an unknown session)", list(switchboard.SessionFilter{After: "nope"}), []string{})
		// Whole sessions come back.
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Session, error) {
			return tx.ListSessions(t.Context(), switchboard.SessionFilter{BotID: "bot2"})
		})
		equal(t, "ListSessions(bot2)", got, []switchboard.Session{all[4], all[1]})
	}},
	{"ListSessionsByPlatformClaimAndAge", func(t *testing.T, s switchboard.Store) {
		desk := func(ss switchboard.Session) switchboard.Session { ss.Platform = "desk"; return ss }
		claimed := func(ss switchboard.Session) switchboard.Session {
			ss.State, ss.AgentID, ss.AgentName, ss.ActivatedAt = switchboard.SessionActive, "agent1", "Zoé", ptr(ss.CreatedAt.Add(time.Second))
			return ss
		}
		// Created one minute apart, in this order.
		createSessions(t, s,
			desk(ended(session("a", key(1), at(0)), at(10*time.Minute))),
			desk(session("b", key(2), at(1*time.Minute))),
			session("c", key(3), at(2*time.Minute)), // gorgias
			desk(claimed(session("d", key(4), at(3*time.Minute)))),
			desk(session("e", key(5), at(4*time.Minute))),
			claimed(session("f", key(6), at(5*time.Minute))), // gorgias
			desk(claimed(session("g", key(7), at(6*time.Minute)))),
			desk(ended(session("h", key(8), at(7*time.Minute)), at(8*time.Minute))),
		)
		list := func(f switchboard.SessionFilter) []string { return sessionIDs(t, s, f) }
		live := []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}
		equal(t, "ListSessions(desk)", list(switchboard.SessionFilter{Platform: "desk"}), []string{"h", "g", "e", "d", "b", "a"})
		equal(t, "ListSessions(gorgias)", list(switchboard.SessionFilter{Platform: "gorgias"}), []string{"f", "c"})
		equal(t, "ListSessions(unknown platform)", list(switchboard.SessionFilter{Platform: "nope"}), []string{})
		equal(t, "ListSessions(oldest first)", list(switchboard.SessionFilter{OldestFirst: true}),
			[]string{"a", "b", "c", "d", "e", "f", "g", "h"})
		equal(t, "ListSessions(oldest first, limit 3)", list(switchboard.SessionFilter{OldestFirst: true, Limit: 3}),
			[]string{"a", "b", "c"})
		equal(t, "ListSessions(claimed)", list(switchboard.SessionFilter{Claimed: ptr(true)}), []string{"g", "f", "d"})
		equal(t, "ListSessions(unclaimed)", list(switchboard.SessionFilter{Claimed: ptr(false)}), []string{"h", "e", "c", "b", "a"})
		// What the desk lists: who waits longest, the newest claimed, the newest ended.
		equal(t, "ListSessions(desk, live, unclaimed, oldest first)", list(switchboard.SessionFilter{
			States: live, Platform: "desk", Claimed: ptr(false), OldestFirst: true}), []string{"b", "e"})
		equal(t, "ListSessions(desk, live, unclaimed, oldest first, limit 1)", list(switchboard.SessionFilter{
			States: live, Platform: "desk", Claimed: ptr(false), OldestFirst: true, Limit: 1}), []string{"b"})
		equal(t, "ListSessions(desk, live, claimed)", list(switchboard.SessionFilter{
			States: live, Platform: "desk", Claimed: ptr(true)}), []string{"g", "d"})
		equal(t, "ListSessions(live, claimed, oldest first)", list(switchboard.SessionFilter{
			States: live, Claimed: ptr(true), OldestFirst: true}), []string{"d", "f", "g"})
		equal(t, "ListSessions(pending, oldest first)", list(switchboard.SessionFilter{
			States: []switchboard.SessionState{switchboard.SessionPending}, OldestFirst: true}), []string{"b", "c", "e"})
		equal(t, "ListSessions(bot1, live, limit 2)", list(switchboard.SessionFilter{
			BotID: "bot1", States: live, Limit: 2}), []string{"g", "f"})
		equal(t, "ListSessions(desk, ended after 9m)", list(switchboard.SessionFilter{
			States: []switchboard.SessionState{switchboard.SessionEnded}, Platform: "desk", EndedAfter: at(9 * time.Minute)}),
			[]string{"a"})
	}},
}

// sessionIDs lists the sessions f keeps, by id, in their order.
func sessionIDs(t *testing.T, s switchboard.Store, f switchboard.SessionFilter) []string {
	t.Helper()
	got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Session, error) { return tx.ListSessions(t.Context(), f) })
	out := []string{}
	for _, ss := range got {
		out = append(out, ss.ID)
	}
	return out
}
