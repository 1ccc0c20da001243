package storetest

import (
	"testing"
	"time"

	"switchboard"
)

var csatTests = []test{
	{"SurveysAreFoundOpenThenDone", func(t *testing.T, s switchboard.Store) {
		a := &switchboard.CSATAnswer{SessionID: "s1", Client: key(1), Platform: "desk", AgentID: "a1", AgentName: "Ann",
			State: switchboard.CSATAsked, AskedAt: at(0)}
		update(t, s, func(tx switchboard.Tx) error { return tx.PutCSAT(t.Context(), a) })
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.CSATAnswer, error) { return tx.FindOpenCSAT(t.Context(), key(1)) })
		equal(t, "open survey", got, a)
		if other := read(t, s, func(tx switchboard.Tx) (*switchboard.CSATAnswer, error) { return tx.FindOpenCSAT(t.Context(), key(2)) }); other != nil {
			t.Errorf("another client's survey: %+v", other)
		}
		a.State, a.Rating, a.Comment, a.AnsweredAt = switchboard.CSATDone, 4, "quick, thanks", ptr(at(time.Minute))
		update(t, s, func(tx switchboard.Tx) error { return tx.PutCSAT(t.Context(), a) })
		if got := read(t, s, func(tx switchboard.Tx) (*switchboard.CSATAnswer, error) { return tx.FindOpenCSAT(t.Context(), key(1)) }); got != nil {
			t.Errorf("a done survey is open: %+v", got)
		}
		list := read(t, s, func(tx switchboard.Tx) ([]switchboard.CSATAnswer, error) {
			return tx.ListCSAT(t.Context(), switchboard.CSATFilter{})
		})
		equal(t, "list", list, []switchboard.CSATAnswer{*a})
	}},
	{"SummariesCountPerBotTeamAndAgentInAPeriod", func(t *testing.T, s switchboard.Store) {
		put := func(id, bot, agent, team string, rating int, asked time.Time) {
			k := key(len(id))
			k.BotID = bot
			update(t, s, func(tx switchboard.Tx) error {
				return tx.PutCSAT(t.Context(), &switchboard.CSATAnswer{SessionID: id, Client: k, Platform: "desk", AgentID: agent,
					AgentName: "Agent " + agent, Team: team, State: switchboard.CSATDone, Rating: rating, AskedAt: asked})
			})
		}
		put("s1", "b1", "a1", "", 5, at(0))
		put("s2", "b1", "a1", "", 4, at(time.Hour))
		put("s3", "b1", "a1", "", 0, at(time.Hour)) // asked, never rated
		put("s4", "b1", "a2", "billing", 1, at(time.Hour))
		put("s5", "b2", "a1", "", 3, at(time.Hour))
		put("s6", "b1", "a1", "", 2, at(48*time.Hour)) // outside the period
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.CSATSummary, error) {
			return tx.CSATSummaries(t.Context(), switchboard.CSATFilter{BotID: "b1", Since: at(0), Until: at(24 * time.Hour)})
		})
		want := []switchboard.CSATSummary{
			{BotID: "b1", AgentID: "a1", AgentName: "Agent a1", Asked: 3, Ratings: [5]int{0, 0, 0, 1, 1}},
			{BotID: "b1", AgentID: "a2", AgentName: "Agent a2", Team: "billing", Asked: 1, Ratings: [5]int{1, 0, 0, 0, 0}},
		}
		equal(t, "summaries", got, want)
		if avg := got[0].Average(); avg != 4.5 {
			t.Errorf("average %v, want 4.5", avg)
		}
		all := read(t, s, func(tx switchboard.Tx) ([]switchboard.CSATAnswer, error) {
			return tx.ListCSAT(t.Context(), switchboard.CSATFilter{Limit: 2})
		})
		if len(all) != 2 || all[0].SessionID != "s6" {
			t.Errorf("newest first, limited: %+v", all)
		}
	}},
	{"PresenceAndHandbackRoundTrip", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutPresence(t.Context(), switchboard.AgentPresence{AgentID: "b", Status: switchboard.PresenceAway, ActiveAt: at(0)}); err != nil {
				return err
			}
			if err := tx.PutPresence(t.Context(), switchboard.AgentPresence{AgentID: "a", Status: switchboard.PresenceAway, ActiveAt: at(0)}); err != nil {
				return err
			}
			return tx.PutPresence(t.Context(), switchboard.AgentPresence{AgentID: "a", Status: switchboard.PresenceOnline, ActiveAt: at(time.Minute)})
		})
		ps := read(t, s, func(tx switchboard.Tx) ([]switchboard.AgentPresence, error) { return tx.ListPresence(t.Context()) })
		equal(t, "presence", ps, []switchboard.AgentPresence{
			{AgentID: "a", Status: switchboard.PresenceOnline, ActiveAt: at(time.Minute)},
			{AgentID: "b", Status: switchboard.PresenceAway, ActiveAt: at(0)},
		})
		if none := read(t, s, func(tx switchboard.Tx) (map[string]string, error) { return tx.Handback(t.Context(), "s1") }); none != nil {
			t.Errorf("handback of a session without one: %v", none)
		}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutHandback(t.Context(), "s1", map[string]string{"order_id": "1"}); err != nil {
				return err
			}
			return tx.PutHandback(t.Context(), "s1", map[string]string{"order_id": "1234", "flow": "billing"})
		})
		got := read(t, s, func(tx switchboard.Tx) (map[string]string, error) { return tx.Handback(t.Context(), "s1") })
		equal(t, "handback", got, map[string]string{"order_id": "1234", "flow": "billing"})
	}},
	{"ErasingAClientKeepsRatingsNotComments", func(t *testing.T, s switchboard.Store) {
		done := &switchboard.CSATAnswer{SessionID: "s1", Client: key(1), Platform: "desk", State: switchboard.CSATDone, Rating: 2, Comment: "my address is …", AskedAt: at(0)}
		other := &switchboard.CSATAnswer{SessionID: "s2", Client: key(2), Platform: "desk", State: switchboard.CSATDone, Rating: 5, Comment: "great", AskedAt: at(0)}
		update(t, s, func(tx switchboard.Tx) error {
			for _, a := range []*switchboard.CSATAnswer{done, other} {
				if err := tx.PutCSAT(t.Context(), a); err != nil {
					return err
				}
			}
			sess := &switchboard.Session{ID: "s1", Client: key(1), Platform: "desk", State: switchboard.SessionEnded, EndReason: switchboard.EndUser, CreatedAt: at(0), LastActivityAt: at(0), EndedAt: ptr(at(0))}
			if err := tx.CreateSession(t.Context(), sess); err != nil {
				return err
			}
			if err := tx.PutHandback(t.Context(), "s1", map[string]string{"order_id": "1"}); err != nil {
				return err
			}
			return tx.DeleteClientData(t.Context(), key(1))
		})
		list := read(t, s, func(tx switchboard.Tx) ([]switchboard.CSATAnswer, error) {
			return tx.ListCSAT(t.Context(), switchboard.CSATFilter{})
		})
		byID := map[string]switchboard.CSATAnswer{}
		for _, a := range list {
			byID[a.SessionID] = a
		}
		if byID["s1"].Comment != "" || byID["s1"].Rating != 2 || byID["s2"].Comment != "great" {
			t.Errorf("after the erasure: %+v", list)
		}
		if hb := read(t, s, func(tx switchboard.Tx) (map[string]string, error) { return tx.Handback(t.Context(), "s1") }); hb != nil {
			t.Errorf("handback kept: %v", hb)
		}
	}},
}
