package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
)

// botVersion returns a version of a bot with every field set.
func botVersion(botID, versionID string, created time.Time) switchboard.BotVersion {
	return switchboard.BotVersion{
		Bot: switchboard.Bot{
			ID:          botID,
			Name:        "Bot " + botID,
			DefaultFlow: "Default",
			Flows: []switchboard.Flow{
				{ID: "f1", Name: "Default", Content: "start:\n  say \"Hi\" // " + versionID + "\n  goto end", Commands: []string{"/start", "hello"}},
				{ID: "f2", Name: "Other", Content: "start: goto end", Commands: nil},
			},
			Env:                 json.RawMessage(`{"api_key": "k", "nested": {"n": [1, 2.5, null, true]}}`),
			CustomComponents:    json.RawMessage(`{"Card": {"params": [{"title": {"required": true}}]}}`),
			AppsEndpoint:        "https://apps.example.com",
			NoInterruptionDelay: 3,
		},
		VersionID: versionID,
		CreatedAt: created,
	}
}

func putBot(t *testing.T, s switchboard.Store, vs ...switchboard.BotVersion) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range vs {
			if err := tx.PutBotVersion(t.Context(), &vs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

var botTests = []test{
	{"LatestIsTheNewestVersion", func(t *testing.T, s switchboard.Store) {
		v1, v2 := botVersion("b", "v1", at(0)), botVersion("b", "v2", at(time.Minute))
		v2.Bot.Env = nil
		v2.Bot.CustomComponents = nil
		putBot(t, s, v1, v2)
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.BotVersion, error) { return tx.LatestBot(t.Context(), "b") })
		equal(t, "LatestBot", got, &v2)
	}},
	{"EveryFieldRoundTrips", func(t *testing.T, s switchboard.Store) {
		v := botVersion("b", "v1", at(0))
		putBot(t, s, v)
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.BotVersion, error) { return tx.LatestBot(t.Context(), "b") })
		equal(t, "LatestBot", got, &v)
	}},
	{"StoringTheSameVersionTwiceKeepsOne", func(t *testing.T, s switchboard.Store) {
		v := botVersion("b", "v1", at(0))
		putBot(t, s, v)
		putBot(t, s, v)
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.ListBots(t.Context()) })
		equal(t, "ListBots", got, []switchboard.BotVersion{v})
	}},
	{"StoringAnOlderVersionAgainMakesItLatest", func(t *testing.T, s switchboard.Store) {
		// Rolling a bot back to an earlier content loads that content again.
		v1, v2 := botVersion("b", "v1", at(0)), botVersion("b", "v2", at(time.Minute))
		putBot(t, s, v1, v2)
		again := v1
		again.CreatedAt = at(2 * time.Minute)
		putBot(t, s, again)
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.BotVersion, error) { return tx.LatestBot(t.Context(), "b") })
		if got.VersionID != "v1" {
			t.Errorf("LatestBot = version %s, want v1", got.VersionID)
		}
	}},
	{"LatestOfAMissingBotIsNotFound", func(t *testing.T, s switchboard.Store) {
		putBot(t, s, botVersion("b", "v1", at(0)))
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.LatestBot(t.Context(), "nope"); return err })
		wantCode(t, "LatestBot", err, switchboard.ENOTFOUND)
	}},
	{"ListBotsGivesTheNewestOfEachByID", func(t *testing.T, s switchboard.Store) {
		list := func() []switchboard.BotVersion {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.ListBots(t.Context()) })
		}
		if got := list(); len(got) != 0 {
			t.Fatalf("ListBots of an empty store = %d bots", len(got))
		}
		c1 := botVersion("c", "c1", at(0))
		a1, a2, a3 := botVersion("a", "a1", at(time.Second)), botVersion("a", "a2", at(3*time.Second)), botVersion("a", "a3", at(2*time.Second))
		b1 := botVersion("b", "b1", at(0))
		putBot(t, s, c1, a1, a2, a3, b1)
		equal(t, "ListBots", list(), []switchboard.BotVersion{a2, b1, c1})
		// The newest is the one created last, not the one stored last.
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.BotVersion, error) { return tx.LatestBot(t.Context(), "a") })
		equal(t, "LatestBot", got, &a2)
	}},
	{"DeleteRemovesEveryVersion", func(t *testing.T, s switchboard.Store) {
		a1, a2, b1 := botVersion("a", "a1", at(0)), botVersion("a", "a2", at(time.Second)), botVersion("b", "b1", at(0))
		putBot(t, s, a1, a2, b1)
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteBot(t.Context(), "a") })
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.LatestBot(t.Context(), "a"); return err })
		wantCode(t, "LatestBot of the deleted bot", err, switchboard.ENOTFOUND)
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.ListBots(t.Context()) })
		equal(t, "ListBots", got, []switchboard.BotVersion{b1})
	}},
	{"DeletingAMissingBotIsNotFound", func(t *testing.T, s switchboard.Store) {
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.DeleteBot(t.Context(), "nope") })
		wantCode(t, "DeleteBot", err, switchboard.ENOTFOUND)
	}},
}

var channelTests = []test{
	{"RoundTripAndReplace", func(t *testing.T, s switchboard.Store) {
		c := switchboard.Channel{ID: "c1", BotID: "b", Type: switchboard.ChannelWebapp, Name: "Web", CreatedAt: at(0)}
		update(t, s, func(tx switchboard.Tx) error { return tx.PutChannel(t.Context(), &c) })
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) { return tx.Channel(t.Context(), "c1") })
		equal(t, "Channel", got, &c)
		c.Type, c.Name = switchboard.ChannelAPI, "API"
		update(t, s, func(tx switchboard.Tx) error { return tx.PutChannel(t.Context(), &c) })
		got = read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) { return tx.Channel(t.Context(), "c1") })
		equal(t, "Channel after replace", got, &c)
	}},
	{"MissingIsNotFound", func(t *testing.T, s switchboard.Store) {
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.Channel(t.Context(), "nope"); return err })
		wantCode(t, "Channel", err, switchboard.ENOTFOUND)
	}},
	{"ChannelsOfBotOldestFirst", func(t *testing.T, s switchboard.Store) {
		cs := []switchboard.Channel{
			{ID: "z", BotID: "b", Type: switchboard.ChannelAPI, Name: "second", CreatedAt: at(time.Minute)},
			{ID: "y", BotID: "other", Type: switchboard.ChannelAPI, Name: "other bot", CreatedAt: at(0)},
			{ID: "x", BotID: "b", Type: switchboard.ChannelWebapp, Name: "third", CreatedAt: at(2 * time.Minute)},
			{ID: "w", BotID: "b", Type: switchboard.ChannelWebapp, Name: "first", CreatedAt: at(0)},
		}
		update(t, s, func(tx switchboard.Tx) error {
			for i := range cs {
				if err := tx.PutChannel(t.Context(), &cs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Channel, error) { return tx.ChannelsOfBot(t.Context(), "b") })
		equal(t, "ChannelsOfBot", got, []switchboard.Channel{cs[3], cs[0], cs[2]})
		got = read(t, s, func(tx switchboard.Tx) ([]switchboard.Channel, error) { return tx.ChannelsOfBot(t.Context(), "none") })
		equal(t, "ChannelsOfBot of a bot without channels", len(got), 0)
	}},
}
