package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"switchboard"
	"switchboard/store/postgres/pgtest"
)

// clientState is what a turn reads of a client: its state and its bot's
// livechat settings.
type clientState struct {
	*switchboard.ClientState
	Livechat json.RawMessage
}

// readState reads a client's state with the single reads of a turn.
func readState(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey) (s clientState, err error) {
	if s.ClientState, err = switchboard.ReadClientState(ctx, tx, key); err != nil {
		return s, err
	}
	s.Livechat, err = tx.Setting(ctx, switchboard.LivechatSettingName(key.BotID))
	return s, err
}

// A View that starts with a client's read gets the rest of the client's
// state from the same batch, and answers what the statements would have:
// the same values, from the View's snapshot, each used once, for that
// client only (and its bot's livechat settings, for that bot only). An
// Update reads nothing ahead.
func TestViewReadsClientAhead(t *testing.T) {
	db, err := Open(t.Context(), pgtest.Schema(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	k1 := switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u1"}
	k2 := switchboard.ClientKey{BotID: "b2", ChannelID: "c", UserID: "u2"}
	put := func(key switchboard.ClientKey, metadata string) {
		t.Helper()
		if err := db.Update(ctx, func(tx switchboard.Tx) error {
			if err := tx.PutClient(ctx, &switchboard.Client{Key: key, Metadata: json.RawMessage(metadata), CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
			if err := tx.PutSetting(ctx, switchboard.LivechatSettingName(key.BotID), json.RawMessage(metadata)); err != nil {
				return err
			}
			return tx.PutMemory(ctx, key, switchboard.Memory{Key: "name", Value: json.RawMessage(`"` + key.UserID + `"`)})
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(k1, `{"n":1}`)
	put(k2, `{"n":2}`)
	conv := &switchboard.Conversation{ID: "conv1", Client: k1, FlowID: "f", StepID: "s", Status: switchboard.ConversationOpen, CreatedAt: now, UpdatedAt: now}
	if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutConversation(ctx, conv) }); err != nil {
		t.Fatal(err)
	}
	// What the statements answer one by one, in a transaction that reads
	// nothing ahead.
	var want1, want2 clientState
	if err := db.Update(ctx, func(stx switchboard.Tx) (err error) {
		if want1, err = readState(ctx, stx, k1); err != nil {
			return err
		}
		if n := len(stx.(*tx).ahead); n != 0 {
			t.Errorf("an Update read %d statements ahead", n)
		}
		want2, err = readState(ctx, stx, k2)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want1.Client == nil || want1.Conversation == nil || len(want1.Memories) != 1 || want1.Livechat == nil {
		t.Fatalf("state of %s = %+v: the setup did not store it", k1, want1)
	}

	err = db.View(ctx, func(stx switchboard.Tx) error {
		tx := stx.(*tx)
		if _, err := tx.FindLiveSession(ctx, k1); err != nil {
			return err
		}
		if n := len(tx.ahead); n != len(clientReads)-1 {
			t.Errorf("after the first read, %d answers read ahead, want %d", n, len(clientReads)-1)
		}
		// A change committed meanwhile is not in the View's snapshot,
		// read ahead or not.
		put(k1, `{"n":3}`)
		got, err := readState(ctx, tx, k1)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want1) {
			t.Errorf("state of %s read ahead = %+v, want %+v", k1, got, want1)
		}
		if n := len(tx.ahead); n != 0 {
			t.Errorf("%d answers read ahead still unused", n)
		}
		// Read again: from the database, in the same snapshot.
		if got, err = readState(ctx, tx, k1); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want1) {
			t.Errorf("state of %s read again = %+v, want %+v", k1, got, want1)
		}
		// Another client is never answered from k1's.
		if got, err = readState(ctx, tx, k2); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want2) {
			t.Errorf("state of %s = %+v, want %+v", k2, got, want2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A request's messages start a read ahead too, of the whole state.
	err = db.View(ctx, func(stx switchboard.Tx) error {
		tx := stx.(*tx)
		if _, err := tx.MessagesOfRequest(ctx, k2, "r1"); err != nil {
			return err
		}
		if n := len(tx.ahead); n != len(clientReads) {
			t.Errorf("after a request's messages, %d answers read ahead, want %d", n, len(clientReads))
		}
		got, err := readState(ctx, tx, k2)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want2) {
			t.Errorf("state of %s read ahead = %+v, want %+v", k2, got, want2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// An answer read ahead is not given once the View has ended.
	var ended switchboard.Tx
	if err := db.View(ctx, func(tx switchboard.Tx) error {
		ended = tx
		_, err := tx.FindClient(ctx, k1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ended.Memories(ctx, k1); !errors.Is(err, errEnded) {
		t.Errorf("Memories after the View ended = %v, want %v", err, errEnded)
	}
}
