package storetest

import (
	"testing"
	"time"

	"switchboard"
)

// The tests of what the Chat API and the administration need: API channel
// credentials, bot versions, setting names, administrators and the session
// summary of the dashboard.

func putChannels(t *testing.T, s switchboard.Store, cs ...switchboard.Channel) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range cs {
			if err := tx.PutChannel(t.Context(), &cs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func findByAPIKey(t *testing.T, s switchboard.Store, apiKey string) *switchboard.Channel {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) {
		return tx.FindChannelByAPIKey(t.Context(), apiKey)
	})
}

var apiChannelTests = []test{
	{"CredentialsRoundTripAndRotate", func(t *testing.T, s switchboard.Store) {
		c := switchboard.Channel{ID: "c1", BotID: "b", Type: switchboard.ChannelAPI, Name: "App", CreatedAt: at(0),
			APIKey: "pk_one", Secret: "sb1:abcd1234:c2VhbGVk"}
		putChannels(t, s, c)
		equal(t, "FindChannelByAPIKey", findByAPIKey(t, s, "pk_one"), &c)
		equal(t, "Channel", read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) { return tx.Channel(t.Context(), "c1") }), &c)
		c.APIKey, c.Secret = "pk_two", "sb1:abcd1234:bmV3"
		putChannels(t, s, c)
		if got := findByAPIKey(t, s, "pk_one"); got != nil {
			t.Errorf("FindChannelByAPIKey(old key) = %+v, want nil", got)
		}
		equal(t, "FindChannelByAPIKey(new key)", findByAPIKey(t, s, "pk_two"), &c)
	}},
	{"UnknownOrEmptyKeyFindsNothing", func(t *testing.T, s switchboard.Store) {
		putChannels(t, s, switchboard.Channel{ID: "web", BotID: "b", Type: switchboard.ChannelWebapp, CreatedAt: at(0)})
		for _, k := range []string{"", "pk_nope"} {
			if got := findByAPIKey(t, s, k); got != nil {
				t.Errorf("FindChannelByAPIKey(%q) = %+v, want nil", k, got)
			}
		}
	}},
	{"AKeyBelongsToOneChannel", func(t *testing.T, s switchboard.Store) {
		putChannels(t, s,
			switchboard.Channel{ID: "a", BotID: "b", Type: switchboard.ChannelAPI, APIKey: "pk_same", CreatedAt: at(0)},
			switchboard.Channel{ID: "w1", BotID: "b", Type: switchboard.ChannelWebapp, CreatedAt: at(0)},
			switchboard.Channel{ID: "w2", BotID: "b", Type: switchboard.ChannelWebapp, CreatedAt: at(0)}) // two without a key
		err := s.Update(t.Context(), func(tx switchboard.Tx) error {
			return tx.PutChannel(t.Context(), &switchboard.Channel{ID: "c", BotID: "b", Type: switchboard.ChannelAPI, APIKey: "pk_same", CreatedAt: at(0)})
		})
		wantCode(t, "PutChannel with another channel's key", err, switchboard.ECONFLICT)
	}},
	{"ListChannelsOldestFirst", func(t *testing.T, s switchboard.Store) {
		cs := []switchboard.Channel{
			{ID: "z", BotID: "b2", Type: switchboard.ChannelAPI, APIKey: "pk_z", CreatedAt: at(time.Minute)},
			{ID: "y", BotID: "b1", Type: switchboard.ChannelWebapp, CreatedAt: at(0)},
		}
		putChannels(t, s, cs...)
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Channel, error) { return tx.ListChannels(t.Context()) })
		equal(t, "ListChannels", got, []switchboard.Channel{cs[1], cs[0]})
	}},
}

var botVersionTests = []test{
	{"EveryVersionNewestFirst", func(t *testing.T, s switchboard.Store) {
		a1, a2, a3 := botVersion("a", "a1", at(0)), botVersion("a", "a2", at(2*time.Second)), botVersion("a", "a3", at(time.Second))
		putBot(t, s, a1, a2, a3, botVersion("b", "b1", at(0)))
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.BotVersions(t.Context(), "a") })
		equal(t, "BotVersions", got, []switchboard.BotVersion{a2, a3, a1})
		got = read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.BotVersions(t.Context(), "none") })
		equal(t, "BotVersions of a missing bot", len(got), 0)
	}},
}

var settingNameTests = []test{
	{"NamesByPrefixInOrder", func(t *testing.T, s switchboard.Store) {
		for _, n := range []string{"livechat:b", "instance:x", "livechat:a", "livechat", "livechat_a:%"} {
			putSetting(t, s, n, `{}`)
		}
		names := func(prefix string) []string {
			return read(t, s, func(tx switchboard.Tx) ([]string, error) { return tx.SettingNames(t.Context(), prefix) })
		}
		equal(t, "SettingNames(livechat:)", names("livechat:"), []string{"livechat:a", "livechat:b"})
		// The prefix is text, not a pattern.
		equal(t, "SettingNames(livechat_)", names("livechat_"), []string{"livechat_a:%"})
		equal(t, "SettingNames(\"\")", len(names("")), 5)
	}},
}

var adminAgentTests = []test{
	{"AdminFlagRoundTrips", func(t *testing.T, s switchboard.Store) {
		a := agent("a1", "boss@example.com", t0)
		a.Admin = true
		createAgents(t, s, a, agent("a2", "sam@example.com", t0))
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Agent, error) { return tx.Agent(t.Context(), "a1") })
		equal(t, "Agent", got, &a)
		a.Admin = false
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &a) })
		list := read(t, s, func(tx switchboard.Tx) ([]switchboard.Agent, error) { return tx.ListAgents(t.Context()) })
		if len(list) != 2 || list[0].Admin || list[1].Admin {
			t.Errorf("ListAgents after removing the admin flag = %+v", list)
		}
	}},
}

func stats(t *testing.T, s switchboard.Store, f switchboard.StatsFilter) switchboard.SessionStats {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (switchboard.SessionStats, error) { return tx.SessionStats(t.Context(), f) })
}

var statsTests = []test{
	{"PerDayMediansAndEndReasons", func(t *testing.T, s switchboard.Store) {
		day0 := t0.Truncate(24 * time.Hour)
		mk := func(id string, user int, created time.Time, wait time.Duration, reason switchboard.EndReason) switchboard.Session {
			ss := session(id, key(user), created)
			if wait > 0 {
				ss.FirstReplyAt = ptr(created.Add(wait))
			}
			if reason != "" {
				ss = ended(ss, created.Add(time.Hour))
				ss.EndReason = reason
			}
			return ss
		}
		other := session("other-bot", switchboard.ClientKey{BotID: "bot2", ChannelID: "c", UserID: "u"}, day0.Add(time.Hour))
		createSessions(t, s,
			mk("before", 1, day0.Add(-time.Minute), time.Second, switchboard.EndUser), // outside the period
			mk("d0a", 2, day0.Add(time.Hour), 10*time.Second, switchboard.EndUser),
			mk("d0b", 3, day0.Add(2*time.Hour), 30*time.Second, switchboard.EndExpired),
			mk("d0c", 4, day0.Add(3*time.Hour), 0, switchboard.EndError),
			mk("d2a", 5, day0.Add(48*time.Hour+time.Minute), 90*time.Second, switchboard.EndAgent),
			mk("d2b", 6, day0.Add(49*time.Hour), 0, ""), // still live
			other,
		)
		f := switchboard.StatsFilter{BotID: "bot1", Since: day0, Until: day0.Add(72 * time.Hour)}
		got := stats(t, s, f)
		want := switchboard.SessionStats{
			Days: []switchboard.DayStats{
				{Day: day0, Sessions: 3, Answered: 2, MedianFirstReply: 20 * time.Second},
				{Day: day0.Add(48 * time.Hour), Sessions: 2, Answered: 1, MedianFirstReply: 90 * time.Second},
			},
			EndReasons: map[switchboard.EndReason]int{
				switchboard.EndUser: 1, switchboard.EndExpired: 1, switchboard.EndError: 1, switchboard.EndAgent: 1,
			},
			Sessions: 5, Answered: 3, MedianFirstReply: 30 * time.Second,
		}
		equal(t, "SessionStats of bot1", got, want)
		f.BotID = ""
		if got := stats(t, s, f); got.Sessions != 6 {
			t.Errorf("SessionStats of every bot counts %d sessions, want 6", got.Sessions)
		}
	}},
	{"EmptyPeriod", func(t *testing.T, s switchboard.Store) {
		got := stats(t, s, switchboard.StatsFilter{Since: t0, Until: at(time.Hour)})
		if got.Sessions != 0 || len(got.Days) != 0 || len(got.EndReasons) != 0 || got.MedianFirstReply != 0 {
			t.Errorf("SessionStats of an empty store = %+v", got)
		}
	}},
}

var forgetSeenTests = []test{
	{"ForgetsOnlyOlderIDsOfTheScope", func(t *testing.T, s switchboard.Store) {
		markSeen(t, s, "sig", "old", t0)
		markSeen(t, s, "sig", "new", at(time.Hour))
		markSeen(t, s, "other", "old", t0)
		update(t, s, func(tx switchboard.Tx) error { return tx.ForgetSeen(t.Context(), "sig", at(time.Minute)) })
		for _, c := range []struct {
			scope, id string
			fresh     bool
		}{{"sig", "old", true}, {"sig", "new", false}, {"other", "old", false}} {
			if got := markSeen(t, s, c.scope, c.id, at(2*time.Hour)); got != c.fresh {
				t.Errorf("MarkSeen(%s, %s) after ForgetSeen = %v, want %v", c.scope, c.id, got, c.fresh)
			}
		}
	}},
}
