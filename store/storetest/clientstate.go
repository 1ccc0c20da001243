package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"switchboard"
)

// wantState checks that ClientState in a View answers what the single
// reads answer, and that changing the answer changes nothing stored.
func wantState(t *testing.T, s switchboard.Store, what string, k switchboard.ClientKey) *switchboard.ClientState {
	t.Helper()
	var got *switchboard.ClientState
	view(t, s, func(tx switchboard.Tx) error {
		var err error
		if got, err = tx.ClientState(t.Context(), k); err != nil {
			return err
		}
		want, err := switchboard.ReadClientState(t.Context(), tx, k)
		if err != nil {
			return err
		}
		equal(t, what, got, want)
		return nil
	})
	if got.Conversation != nil {
		got.Conversation.FlowID, got.Conversation.Version = "changed by the caller", 99
	}
	if got.Client != nil {
		got.Client.Metadata = json.RawMessage(`{"changed":true}`)
	}
	got.Memories = append(got.Memories, mem("changed", `1`))
	again := read(t, s, func(tx switchboard.Tx) (*switchboard.ClientState, error) { return tx.ClientState(t.Context(), k) })
	want := read(t, s, func(tx switchboard.Tx) (*switchboard.ClientState, error) {
		return switchboard.ReadClientState(t.Context(), tx, k)
	})
	equal(t, what+", read again after the caller changed the first answer", again, want)
	return again
}

var clientStateTests = []test{
	{"FollowsEveryWrite", func(t *testing.T, s switchboard.Store) {
		k, other := key(1), key(2)
		if st := wantState(t, s, "a client never seen", k); st.Client != nil || st.Conversation != nil || st.Memories != nil {
			t.Fatalf("a client never seen has a state: %+v", st)
		}
		// Times with nanoseconds and a zone: the store keeps microseconds, in UTC.
		zone := time.FixedZone("UTC+2", 2*3600)
		created := time.Date(2026, 3, 1, 10, 0, 0, 123456789, zone)
		conv := conversation("c1", k, created)
		update(t, s, func(tx switchboard.Tx) error {
			return errors.Join(tx.PutClient(t.Context(), &switchboard.Client{Key: k, Metadata: json.RawMessage(`{"a":1}`), CreatedAt: created, UpdatedAt: created}),
				tx.PutConversation(t.Context(), &conv),
				tx.PutMemory(t.Context(), k, mem("a", `1`)), tx.PutMemory(t.Context(), k, mem("b", `"x"`)))
		})
		wantState(t, s, "a client, its conversation and memories", k)

		// A turn: the conversation moves on, memories change.
		conv.StepID, conv.Hold, conv.UpdatedAt, conv.LastInteractionAt = "next", json.RawMessage(`{"index":4}`), created.Add(time.Minute+time.Nanosecond), created.Add(time.Minute)
		update(t, s, func(tx switchboard.Tx) error {
			return errors.Join(tx.PutConversation(t.Context(), &conv), tx.PutMemory(t.Context(), k, mem("a", `2`)),
				tx.PutMemory(t.Context(), k, mem("0", `null`)), tx.DeleteMemories(t.Context(), k, []string{"b", "missing"}))
		})
		wantState(t, s, "after a turn", k)

		// Another client's writes leave this one's state alone.
		otherConv := conversation("c2", other, created)
		update(t, s, func(tx switchboard.Tx) error {
			return errors.Join(tx.PutConversation(t.Context(), &otherConv), tx.PutMemory(t.Context(), other, mem("a", `3`)))
		})
		wantState(t, s, "after another client's turn", k)

		update(t, s, func(tx switchboard.Tx) error {
			return tx.PutClient(t.Context(), &switchboard.Client{Key: k, Metadata: json.RawMessage(`{"a":2}`), CallbackURL: "https://example.com/cb", CreatedAt: created, UpdatedAt: created.Add(time.Hour)})
		})
		wantState(t, s, "after new metadata", k)

		live := session("s1", k, created)
		createSessions(t, s, live)
		if st := wantState(t, s, "in a livechat session", k); st.LiveSession == nil {
			t.Fatal("no live session in the state")
		}
		activated := created.Add(time.Second)
		live.State, live.AgentID, live.ActivatedAt, live.ClaimedAt = switchboard.SessionActive, "a1", &activated, &activated
		live.Tags, live.LastActivityAt = []string{"vip"}, activated
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &live) })
		wantState(t, s, "once an agent claimed the session", k)
		done := ended(live, created.Add(time.Hour))
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateSession(t.Context(), &done) })
		update(t, s, func(tx switchboard.Tx) error {
			return tx.PutCSAT(t.Context(), &switchboard.CSATAnswer{SessionID: "s1", Client: k, Platform: "desk", State: switchboard.CSATAsked, AskedAt: created})
		})
		if st := wantState(t, s, "after the session, a survey asked", k); st.LiveSession != nil || st.OpenCSAT == nil {
			t.Fatalf("want no live session and a survey: %+v", st)
		}

		// A failed Update changes nothing.
		err := s.Update(t.Context(), func(tx switchboard.Tx) error {
			conv.StepID = "never"
			return errors.Join(tx.PutConversation(t.Context(), &conv), tx.PutMemory(t.Context(), k, mem("a", `"never"`)), errors.New("the turn fails"))
		})
		if err == nil {
			t.Fatal("the failing Update succeeded")
		}
		conv.Version--
		wantState(t, s, "after a failed Update", k)

		conv.Status = switchboard.ConversationClosed
		putConversations(t, s, &conv)
		if st := wantState(t, s, "after the conversation ended", k); st.Conversation != nil {
			t.Fatalf("a closed conversation is open: %+v", st.Conversation)
		}
		next := conversation("c3", k, created.Add(2*time.Hour))
		putConversations(t, s, &next)
		wantState(t, s, "with a new conversation", k)
		update(t, s, func(tx switchboard.Tx) error { return tx.CloseConversations(t.Context(), k, created.Add(3*time.Hour)) })
		wantState(t, s, "after its conversations were closed", k)
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteMemories(t.Context(), k, nil) })
		wantState(t, s, "after forgetting every memory", k)
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteClientData(t.Context(), k) })
		if st := wantState(t, s, "after the client was erased", k); st.Client != nil || st.Memories != nil {
			t.Fatalf("an erased client has a state: %+v", st)
		}
		wantState(t, s, "the other client, at the end", other)
	}},
	{"InAnUpdateSeesItsOwnWrites", func(t *testing.T, s switchboard.Store) {
		k := key(1)
		wantState(t, s, "before", k)
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutMemory(t.Context(), k, mem("a", `1`)); err != nil {
				return err
			}
			st, err := tx.ClientState(t.Context(), k)
			if err != nil {
				return err
			}
			equal(t, "memories in the Update", st.Memories, []switchboard.Memory{mem("a", `1`)})
			return nil
		})
	}},
}
