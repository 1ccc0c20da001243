package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
)

func setting(t *testing.T, s switchboard.Store, name string) json.RawMessage {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (json.RawMessage, error) { return tx.Setting(t.Context(), name) })
}

func putSetting(t *testing.T, s switchboard.Store, name, value string) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error { return tx.PutSetting(t.Context(), name, json.RawMessage(value)) })
}

var settingTests = []test{
	{"NeverSetIsNil", func(t *testing.T, s switchboard.Store) {
		if got := setting(t, s, "livechat/bot1"); got != nil {
			t.Errorf("Setting = %s, want nil", got)
		}
	}},
	{"PutAndReplace", func(t *testing.T, s switchboard.Store) {
		putSetting(t, s, "livechat/bot1", `{"platform": "gorgias", "timeout": 1800, "secrets": {"key": "enc:abc"}}`)
		putSetting(t, s, "livechat/bot2", `{"platform": "desk"}`)
		equal(t, "Setting", setting(t, s, "livechat/bot1"), json.RawMessage(`{"platform": "gorgias", "timeout": 1800, "secrets": {"key": "enc:abc"}}`))
		putSetting(t, s, "livechat/bot1", `{"platform": "none"}`)
		equal(t, "Setting after replace", setting(t, s, "livechat/bot1"), json.RawMessage(`{"platform": "none"}`))
		equal(t, "the other Setting", setting(t, s, "livechat/bot2"), json.RawMessage(`{"platform": "desk"}`))
	}},
}

func markSeen(t *testing.T, s switchboard.Store, scope, id string, at time.Time) bool {
	t.Helper()
	var isNew bool
	update(t, s, func(tx switchboard.Tx) error {
		var err error
		isNew, err = tx.MarkSeen(t.Context(), scope, id, at)
		return err
	})
	return isNew
}

var dedupTests = []test{
	{"FirstTimeIsNew", func(t *testing.T, s switchboard.Store) {
		for _, c := range []struct {
			scope, id string
			want      bool
		}{
			{"gorgias/event", "1", true},
			{"gorgias/event", "1", false},
			{"gorgias/message", "1", true}, // another scope
			{"gorgias/event", "2", true},
			{"gorgias/message", "1", false},
		} {
			if got := markSeen(t, s, c.scope, c.id, t0); got != c.want {
				t.Errorf("MarkSeen(%s, %s) = %v, want %v", c.scope, c.id, got, c.want)
			}
		}
	}},
	{"SeenLooksWithoutMarking", func(t *testing.T, s switchboard.Store) {
		seen := func(scope, id string) bool {
			t.Helper()
			var found bool
			view(t, s, func(tx switchboard.Tx) error {
				var err error
				found, err = tx.Seen(t.Context(), scope, id)
				return err
			})
			return found
		}
		if seen("agent:s1", "7") {
			t.Errorf("Seen of an id never marked = true")
		}
		if !markSeen(t, s, "agent:s1", "7", t0) {
			t.Errorf("MarkSeen after Seen = false: Seen recorded the id")
		}
		if !seen("agent:s1", "7") || seen("agent:s2", "7") || seen("agent:s1", "8") {
			t.Errorf("Seen after MarkSeen(agent:s1, 7): want true for it only")
		}
	}},
	{"ARolledBackMarkIsForgotten", func(t *testing.T, s switchboard.Store) {
		_ = s.Update(t.Context(), func(tx switchboard.Tx) error {
			if _, err := tx.MarkSeen(t.Context(), "scope", "1", t0); err != nil {
				return err
			}
			return errRollback
		})
		if !markSeen(t, s, "scope", "1", t0) {
			t.Errorf("MarkSeen after a rolled back MarkSeen = false, want true")
		}
	}},
	{"PruneForgetsOlderIDs", func(t *testing.T, s switchboard.Store) {
		markSeen(t, s, "s", "old", t0)
		markSeen(t, s, "s", "new", at(time.Hour))
		update(t, s, func(tx switchboard.Tx) error { return tx.PruneSeen(t.Context(), at(time.Minute)) })
		if !markSeen(t, s, "s", "old", at(2*time.Hour)) {
			t.Errorf("MarkSeen of a pruned id = false, want true")
		}
		if markSeen(t, s, "s", "new", at(2*time.Hour)) {
			t.Errorf("MarkSeen of an id seen after the prune time = true, want false")
		}
	}},
}

var timeTests = []test{
	{"TimesComeBackInUTCToTheMillisecond", func(t *testing.T, s switchboard.Store) {
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			paris = time.FixedZone("CEST", 2*3600)
		}
		when := time.Date(2031, 7, 8, 9, 10, 11, 123_456_789, paris)
		ms := []switchboard.Message{message(key(1), 1, "")}
		ms[0].CreatedAt = when
		addMessages(t, s, ms)
		m := ms[0]
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Message, error) { return tx.Message(t.Context(), m.ID) })
		if got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt is in %v, want UTC", got.CreatedAt.Location())
		}
		if d := got.CreatedAt.Sub(when).Abs(); d >= time.Millisecond {
			t.Errorf("CreatedAt = %v, want %v to the millisecond", got.CreatedAt, when)
		}
	}},
	{"ZeroTimesStayZero", func(t *testing.T, s switchboard.Store) {
		c := switchboard.Client{Key: key(1)}
		update(t, s, func(tx switchboard.Tx) error { return tx.PutClient(t.Context(), &c) })
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), key(1)) })
		if !got.CreatedAt.IsZero() || !got.UpdatedAt.IsZero() {
			t.Errorf("zero times came back as %v and %v", got.CreatedAt, got.UpdatedAt)
		}
	}},
}
