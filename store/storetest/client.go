package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
)

var clientTests = []test{
	{"FindMissingIsNil", func(t *testing.T, s switchboard.Store) {
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), key(1)) })
		if got != nil {
			t.Errorf("FindClient = %+v, want nil", got)
		}
	}},
	{"RoundTripAndReplace", func(t *testing.T, s switchboard.Store) {
		c := switchboard.Client{
			Key:         key(1),
			Metadata:    json.RawMessage(`{"firstname": "Ann", "email": "ann@example.com", "tags": ["a", "é"], "n": 3}`),
			CallbackURL: "https://app.example.com/hooks/switchboard?x=1",
			CreatedAt:   at(0),
			UpdatedAt:   at(time.Second),
		}
		other := switchboard.Client{Key: key(2), CreatedAt: at(0), UpdatedAt: at(0)}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutClient(t.Context(), &c); err != nil {
				return err
			}
			return tx.PutClient(t.Context(), &other)
		})
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), key(1)) })
		equal(t, "FindClient", got, &c)
		got = read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), key(2)) })
		equal(t, "FindClient without metadata", got, &other)

		c.Metadata = json.RawMessage(`{"firstname": "Anna"}`)
		c.CallbackURL = "https://app.example.com/v2"
		c.UpdatedAt = at(time.Minute)
		update(t, s, func(tx switchboard.Tx) error { return tx.PutClient(t.Context(), &c) })
		got = read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), key(1)) })
		equal(t, "FindClient after replace", got, &c)
	}},
	{"KeysDifferingInOnePartAreDifferentClients", func(t *testing.T, s switchboard.Store) {
		keys := []switchboard.ClientKey{
			{BotID: "b", ChannelID: "c", UserID: "u"},
			{BotID: "b2", ChannelID: "c", UserID: "u"},
			{BotID: "b", ChannelID: "c2", UserID: "u"},
			{BotID: "b", ChannelID: "c", UserID: "u2"},
		}
		update(t, s, func(tx switchboard.Tx) error {
			for i, k := range keys {
				md, _ := json.Marshal(map[string]int{"i": i})
				if err := tx.PutClient(t.Context(), &switchboard.Client{Key: k, Metadata: md}); err != nil {
					return err
				}
			}
			return nil
		})
		for i, k := range keys {
			got := read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), k) })
			md, _ := json.Marshal(map[string]int{"i": i})
			equal(t, "FindClient "+k.String(), got, &switchboard.Client{Key: k, Metadata: md})
		}
	}},
	{"LockClientSucceedsInUpdate", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.LockClient(t.Context(), key(1)); err != nil {
				return err
			}
			// Locking again, or another client, in the same transaction is fine.
			if err := tx.LockClient(t.Context(), key(1)); err != nil {
				return err
			}
			return tx.LockClient(t.Context(), key(2))
		})
	}},
}

// conversation returns an open conversation of a client with every field set.
func conversation(id string, k switchboard.ClientKey, created time.Time) switchboard.Conversation {
	return switchboard.Conversation{
		ID:                id,
		Client:            k,
		FlowID:            "Default",
		StepID:            "ask_name",
		Status:            switchboard.ConversationOpen,
		Hold:              json.RawMessage(`{"index": 3, "step_vars": {"x": [1, {"y": "z"}]}, "hash": "abc"}`),
		InteractionOrder:  7,
		LastInteractionAt: created.Add(time.Second),
		CreatedAt:         created,
		UpdatedAt:         created.Add(2 * time.Second),
	}
}

func findOpen(t *testing.T, s switchboard.Store, k switchboard.ClientKey) *switchboard.Conversation {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Conversation, error) {
		return tx.FindOpenConversation(t.Context(), k)
	})
}

// putConversations saves conversations in one transaction; each one's
// Version moves on as the store sets it.
func putConversations(t *testing.T, s switchboard.Store, cs ...*switchboard.Conversation) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for _, c := range cs {
			if err := tx.PutConversation(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
}

// putConversationErr saves one conversation and returns the error.
func putConversationErr(t *testing.T, s switchboard.Store, c *switchboard.Conversation) error {
	t.Helper()
	return s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.PutConversation(t.Context(), c) })
}

var conversationTests = []test{
	{"ClientConversationsNewestFirstInPages", func(t *testing.T, s switchboard.Store) {
		old := conversation("old", key(1), at(0))
		old.Status = switchboard.ConversationClosed
		mid := conversation("mid", key(1), at(time.Minute))
		mid.Status = switchboard.ConversationClosed
		open := conversation("new", key(1), at(2*time.Minute))
		other := conversation("other", key(2), at(3*time.Minute))
		putConversations(t, s, &old, &mid, &open, &other)
		list := func(limit, offset int) []switchboard.Conversation {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.Conversation, error) {
				return tx.ClientConversations(t.Context(), key(1), limit, offset)
			})
		}
		equal(t, "ClientConversations(10, 0)", list(10, 0), []switchboard.Conversation{open, mid, old})
		equal(t, "ClientConversations(2, 0)", list(2, 0), []switchboard.Conversation{open, mid})
		equal(t, "ClientConversations(2, 2)", list(2, 2), []switchboard.Conversation{old})
		if got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Conversation, error) {
			return tx.ClientConversations(t.Context(), key(3), 10, 0)
		}); len(got) != 0 {
			t.Errorf("ClientConversations of a client without any = %+v", got)
		}
	}},
	{"FindOpenWithoutAnyIsNil", func(t *testing.T, s switchboard.Store) {
		if got := findOpen(t, s, key(1)); got != nil {
			t.Errorf("FindOpenConversation = %+v, want nil", got)
		}
	}},
	{"RoundTripAndReplace", func(t *testing.T, s switchboard.Store) {
		c := conversation("conv1", key(1), at(0))
		putConversations(t, s, &c)
		if c.Version != 1 {
			t.Errorf("Version after creation = %d, want 1", c.Version)
		}
		equal(t, "FindOpenConversation", findOpen(t, s, key(1)), &c)

		c.StepID, c.Hold, c.InteractionOrder = "end", nil, 8
		c.LastInteractionAt, c.UpdatedAt = at(time.Hour), at(time.Hour)
		putConversations(t, s, &c)
		if c.Version != 2 {
			t.Errorf("Version after an update = %d, want 2", c.Version)
		}
		equal(t, "FindOpenConversation after replace", findOpen(t, s, key(1)), &c)
	}},
	{"OnlyOpenConversationsOfTheClientAreFound", func(t *testing.T, s switchboard.Store) {
		closed := conversation("old", key(1), at(0))
		closed.Status = switchboard.ConversationClosed
		open := conversation("new", key(1), at(time.Minute))
		other := conversation("other", key(2), at(2*time.Minute))
		putConversations(t, s, &closed, &open, &other)
		equal(t, "FindOpenConversation", findOpen(t, s, key(1)), &open)
		if got := findOpen(t, s, key(3)); got != nil {
			t.Errorf("FindOpenConversation of a client without conversations = %+v", got)
		}
	}},
	{"ClosedByPutIsNotFound", func(t *testing.T, s switchboard.Store) {
		c := conversation("c", key(1), at(0))
		putConversations(t, s, &c)
		c.Status = switchboard.ConversationClosed
		putConversations(t, s, &c)
		if got := findOpen(t, s, key(1)); got != nil {
			t.Errorf("FindOpenConversation after closing = %+v, want nil", got)
		}
	}},
	{"CloseConversationsClosesOnlyThatClient", func(t *testing.T, s switchboard.Store) {
		mine, other := conversation("c1", key(1), at(0)), conversation("c2", key(2), at(0))
		putConversations(t, s, &mine, &other)
		update(t, s, func(tx switchboard.Tx) error { return tx.CloseConversations(t.Context(), key(1), at(time.Hour)) })
		if got := findOpen(t, s, key(1)); got != nil {
			t.Errorf("FindOpenConversation after CloseConversations = %+v, want nil", got)
		}
		equal(t, "the other client's conversation", findOpen(t, s, key(2)), &other)
		// Closing a client without open conversations is not an error.
		update(t, s, func(tx switchboard.Tx) error { return tx.CloseConversations(t.Context(), key(3), at(time.Hour)) })
		// A new conversation after the close is the open one.
		next := conversation("c3", key(1), at(2*time.Hour))
		putConversations(t, s, &next)
		equal(t, "FindOpenConversation of the new conversation", findOpen(t, s, key(1)), &next)
		// The closed conversation moved on: a save of what was read before fails.
		mine.StepID = "late"
		if err := putConversationErr(t, s, &mine); switchboard.ErrorCode(err) != switchboard.ECONFLICT {
			t.Errorf("saving a conversation closed since it was read: %v, want ECONFLICT", err)
		}
	}},
	{"AStaleVersionIsAConflictAndChangesNothing", func(t *testing.T, s switchboard.Store) {
		c := conversation("c", key(1), at(0))
		putConversations(t, s, &c)
		mine, theirs := c, c // two processors read version 1
		theirs.StepID = "theirs"
		putConversations(t, s, &theirs)
		mine.StepID = "mine"
		if err := putConversationErr(t, s, &mine); switchboard.ErrorCode(err) != switchboard.ECONFLICT {
			t.Fatalf("saving over a newer version: %v, want ECONFLICT", err)
		}
		if mine.Version != 1 {
			t.Errorf("a refused save moved Version to %d", mine.Version)
		}
		equal(t, "the conversation after the refused save", findOpen(t, s, key(1)), &theirs)
		// Creating an id that exists is a conflict too.
		again := conversation("c", key(2), at(0))
		if err := putConversationErr(t, s, &again); switchboard.ErrorCode(err) != switchboard.ECONFLICT {
			t.Errorf("creating an existing id: %v, want ECONFLICT", err)
		}
	}},
	{"OneOpenConversationPerClient", func(t *testing.T, s switchboard.Store) {
		first := conversation("first", key(1), at(0))
		putConversations(t, s, &first)
		second := conversation("second", key(1), at(time.Minute))
		if err := putConversationErr(t, s, &second); switchboard.ErrorCode(err) != switchboard.ECONFLICT {
			t.Fatalf("a second open conversation: %v, want ECONFLICT", err)
		}
		equal(t, "the open conversation", findOpen(t, s, key(1)), &first)
		// Closing the first in the same transaction makes room.
		first.Status = switchboard.ConversationClosed
		putConversations(t, s, &first, &second)
		equal(t, "the open conversation after the switch", findOpen(t, s, key(1)), &second)
	}},
}

func memories(t *testing.T, s switchboard.Store, k switchboard.ClientKey) []switchboard.Memory {
	t.Helper()
	got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Memory, error) { return tx.Memories(t.Context(), k) })
	if got == nil {
		got = []switchboard.Memory{}
	}
	return got
}

func mem(k, v string) switchboard.Memory {
	return switchboard.Memory{Key: k, Value: json.RawMessage(v)}
}

var memoryTests = []test{
	{"NoneIsEmpty", func(t *testing.T, s switchboard.Store) {
		equal(t, "Memories", memories(t, s, key(1)), []switchboard.Memory{})
	}},
	{"PutReplacesAndListsByKey", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error {
			for _, m := range []switchboard.Memory{mem("name", `"Ann"`), mem("age", `41`), mem("cart", `{"items": [1, 2]}`), mem("name", `"Anna"`)} {
				if err := tx.PutMemory(t.Context(), key(1), m); err != nil {
					return err
				}
			}
			return tx.PutMemory(t.Context(), key(2), mem("name", `"Bob"`))
		})
		equal(t, "Memories", memories(t, s, key(1)), []switchboard.Memory{mem("age", `41`), mem("cart", `{"items": [1, 2]}`), mem("name", `"Anna"`)})
		equal(t, "Memories of another client", memories(t, s, key(2)), []switchboard.Memory{mem("name", `"Bob"`)})
	}},
	{"DeleteNamedOrAll", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error {
			for _, k := range []switchboard.ClientKey{key(1), key(2)} {
				for _, m := range []switchboard.Memory{mem("a", `1`), mem("b", `2`), mem("c", `3`)} {
					if err := tx.PutMemory(t.Context(), k, m); err != nil {
						return err
					}
				}
			}
			return nil
		})
		update(t, s, func(tx switchboard.Tx) error {
			return tx.DeleteMemories(t.Context(), key(1), []string{"a", "c", "missing"})
		})
		equal(t, "Memories after deleting a and c", memories(t, s, key(1)), []switchboard.Memory{mem("b", `2`)})
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteMemories(t.Context(), key(1), nil) })
		equal(t, "Memories after deleting all", memories(t, s, key(1)), []switchboard.Memory{})
		equal(t, "Memories of another client", memories(t, s, key(2)), []switchboard.Memory{mem("a", `1`), mem("b", `2`), mem("c", `3`)})
	}},
}
