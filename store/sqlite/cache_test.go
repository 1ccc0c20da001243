package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"switchboard"
)

// openCached opens a store in a fresh file of t's temporary directory.
func openCached(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

var cacheKey1 = switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u"}

// stateOf reads a client's state in a View, and reports whether the View
// ran a statement.
func stateOf(t *testing.T, db *DB, k switchboard.ClientKey) (*switchboard.ClientState, bool) {
	t.Helper()
	var st *switchboard.ClientState
	var ran bool
	err := db.View(t.Context(), func(v switchboard.Tx) error {
		var err error
		st, err = v.ClientState(t.Context(), k)
		ran = v.(*tx).begun
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, ran
}

// memory puts a memory of k in an Update of db.
func memory(t *testing.T, db *DB, k switchboard.ClientKey, name, value string) {
	t.Helper()
	err := db.Update(t.Context(), func(tx switchboard.Tx) error {
		return tx.PutMemory(t.Context(), k, switchboard.Memory{Key: name, Value: json.RawMessage(value)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wantMemory checks the value of k's one memory as ClientState reads it.
func wantMemory(t *testing.T, db *DB, what, value string) {
	t.Helper()
	st, _ := stateOf(t, db, cacheKey1)
	if len(st.Memories) != 1 || string(st.Memories[0].Value) != value {
		t.Errorf("%s: memories %+v, want one of value %s", what, st.Memories, value)
	}
}

// A turn's View, once its client's state and its bot's livechat settings
// were read, answers them from memory, without a statement, also after a
// commit that changed them: the commit leaves the state it wrote.
func TestAViewAnsweredFromTheCacheRunsNoStatement(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache needs open file description locks (Linux)")
	}
	db, _ := openCached(t)
	ctx := t.Context()
	setting := switchboard.LivechatSettingName(cacheKey1.BotID)
	readBoth := func() (*switchboard.ClientState, json.RawMessage, bool) {
		var st *switchboard.ClientState
		var v json.RawMessage
		var ran bool
		err := db.View(ctx, func(view switchboard.Tx) error {
			var err error
			if st, err = view.ClientState(ctx, cacheKey1); err != nil {
				return err
			}
			v, err = view.Setting(ctx, setting)
			ran = view.(*tx).begun
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return st, v, ran
	}
	if err := db.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutSetting(ctx, setting, json.RawMessage(`{"platform":"desk"}`))
	}); err != nil {
		t.Fatal(err)
	}
	memory(t, db, cacheKey1, "a", `1`)
	if _, _, ran := readBoth(); !ran {
		t.Fatal("the first View read nothing")
	}
	for i, value := range []string{`2`, `3`} {
		memory(t, db, cacheKey1, "a", value)
		st, v, ran := readBoth()
		if ran {
			t.Errorf("View %d after a turn ran a statement", i)
		}
		if len(st.Memories) != 1 || string(st.Memories[0].Value) != value || string(v) != `{"platform":"desk"}` {
			t.Errorf("View %d: %+v, setting %s", i, st.Memories, v)
		}
	}
	if err := db.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutSetting(ctx, setting, json.RawMessage(`{"platform":"gorgias"}`))
	}); err != nil {
		t.Fatal(err)
	}
	if _, v, _ := readBoth(); string(v) != `{"platform":"gorgias"}` {
		t.Errorf("setting after its change: %s", v)
	}
}

// A View whose snapshot is older than a commit must not leave what it read
// in the cache, whether the cache still holds the commit's mark or forgot
// it to make room.
func TestAViewOlderThanACommitLeavesNothing(t *testing.T) {
	for _, forget := range []bool{false, true} {
		db, _ := openCached(t)
		ctx := t.Context()
		memory(t, db, cacheKey1, "a", `1`)
		read, changed := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			done <- db.View(ctx, func(tx switchboard.Tx) error {
				if _, err := tx.Setting(ctx, "anything"); err != nil { // the snapshot starts
					return err
				}
				close(read)
				<-changed
				st, err := tx.ClientState(ctx, cacheKey1)
				if err == nil && string(st.Memories[0].Value) != `1` {
					err = errors.New("the View does not read its snapshot")
				}
				return err
			})
		}()
		<-read
		memory(t, db, cacheKey1, "a", `2`)
		if forget {
			db.cache.mu.Lock()
			db.cache.limit = 1
			db.cache.mu.Unlock()
			memory(t, db, switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "other"}, "a", `1`)
		}
		close(changed)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		wantMemory(t, db, "after the old View", `2`)
	}
}

// Updates that share a commit, one of which failed and was rolled back
// to its savepoint, leave the state the commit wrote, not the failed one's.
func TestARolledBackUpdateOfABatchLeavesNoState(t *testing.T) {
	db, _ := openCached(t)
	ctx := t.Context()
	memory(t, db, cacheKey1, "a", `1`)
	stateOf(t, db, cacheKey1)
	put := func(value string, err error) func(switchboard.Tx) error {
		return func(tx switchboard.Tx) error {
			return errors.Join(tx.PutMemory(ctx, cacheKey1, switchboard.Memory{Key: "a", Value: json.RawMessage(value)}), err)
		}
	}
	db.w.mu.Lock()
	if _, err := db.w.step(ctx, put(`2`, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.step(ctx, put(`3`, errors.New("fails"))); err == nil {
		t.Fatal("the failing Update succeeded")
	}
	db.w.commit()
	db.w.mu.Unlock()
	wantMemory(t, db, "after the batch", `2`)
}

// While another store has the database open, its writes are unseen: the
// cache is off, and forgets everything once it is alone again, or when a
// store came and went between two Views.
func TestAnotherStoreOnTheFileTurnsTheCacheOff(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache needs open file description locks (Linux)")
	}
	db, path := openCached(t)
	memory(t, db, cacheKey1, "a", `1`)
	stateOf(t, db, cacheKey1)
	if _, ran := stateOf(t, db, cacheKey1); ran {
		t.Fatal("the cache is off alone")
	}
	other := openAgain(t, path)
	memory(t, other, cacheKey1, "a", `2`)
	wantMemory(t, db, "with another store open", `2`)
	memory(t, other, cacheKey1, "a", `3`)
	if _, ran := stateOf(t, db, cacheKey1); !ran {
		t.Error("the cache answered while another store is open")
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	wantMemory(t, db, "once alone again", `3`)
	if _, ran := stateOf(t, db, cacheKey1); ran {
		t.Error("the cache stays off once alone again")
	}

	// A store that opens, writes and closes between two Views.
	brief := openAgain(t, path)
	memory(t, brief, cacheKey1, "a", `4`)
	if err := brief.Close(); err != nil {
		t.Fatal(err)
	}
	wantMemory(t, db, "after a brief store", `4`)
}

// openAgain opens a second store on the database at path, as another
// process would; the caller closes it.
func openAgain(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// After Updates and Views of many goroutines on a few clients (turns,
// sessions, forgotten memories, failing Updates that share a commit with
// others), the cache answers for every client what the database holds.
func TestTheCacheAgreesWithTheDatabaseAfterConcurrentWork(t *testing.T) {
	db, _ := openCached(t)
	ctx := t.Context()
	keys := make([]switchboard.ClientKey, 6)
	for i := range keys {
		keys[i] = switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: fmt.Sprintf("u%d", i)}
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	ops := []func(tx switchboard.Tx, k switchboard.ClientKey, n int) error{
		func(tx switchboard.Tx, k switchboard.ClientKey, n int) error { // a turn
			c, err := tx.FindOpenConversation(ctx, k)
			if err != nil {
				return err
			}
			if c == nil {
				c = &switchboard.Conversation{ID: fmt.Sprintf("%s-%d", k.UserID, n), Client: k, FlowID: "f", Status: switchboard.ConversationOpen, CreatedAt: now}
			}
			c.StepID, c.UpdatedAt = fmt.Sprint("s", n), now.Add(time.Duration(n)*time.Microsecond)
			if n%7 == 0 {
				c.Status = switchboard.ConversationClosed
			}
			return errors.Join(tx.PutConversation(ctx, c), tx.PutMemory(ctx, k, switchboard.Memory{Key: fmt.Sprint("m", n%3), Value: json.RawMessage(fmt.Sprint(n))}))
		},
		func(tx switchboard.Tx, k switchboard.ClientKey, n int) error { // a session starts or ends
			s, err := tx.FindLiveSession(ctx, k)
			switch {
			case err != nil:
				return err
			case s == nil:
				return tx.CreateSession(ctx, &switchboard.Session{ID: fmt.Sprintf("%s-s%d", k.UserID, n), Client: k, Platform: "desk",
					State: switchboard.SessionPending, Timeout: time.Minute, CreatedAt: now, LastActivityAt: now})
			}
			s.State, s.EndedAt = switchboard.SessionEnded, &now
			return tx.UpdateSession(ctx, s)
		},
		func(tx switchboard.Tx, k switchboard.ClientKey, n int) error { // a turn that fails
			return errors.Join(tx.PutMemory(ctx, k, switchboard.Memory{Key: "m0", Value: json.RawMessage(`"lost"`)}), errors.New("fails"))
		},
		func(tx switchboard.Tx, k switchboard.ClientKey, n int) error {
			return errors.Join(tx.DeleteMemories(ctx, k, nil), tx.PutClient(ctx, &switchboard.Client{Key: k, Metadata: json.RawMessage(fmt.Sprint(n)), CreatedAt: now}))
		},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 150 {
				n := g*1000 + i
				k := keys[(g+i)%len(keys)]
				if i%3 == 0 {
					if err := db.View(ctx, func(tx switchboard.Tx) error { _, err := tx.ClientState(ctx, k); return err }); err != nil {
						t.Error(err)
					}
					continue
				}
				_ = db.Update(ctx, func(tx switchboard.Tx) error { return ops[n%len(ops)](tx, k, n) })
			}
		}()
	}
	wg.Wait()
	for _, k := range keys {
		err := db.View(ctx, func(tx switchboard.Tx) error {
			got, err := tx.ClientState(ctx, k)
			if err != nil {
				return err
			}
			want, err := switchboard.ReadClientState(ctx, tx, k)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("client %s: the cache answers\n%+v\nthe database holds\n%+v", k.UserID, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := db.w.commits.Load(); c >= db.w.committed.Load() {
		t.Logf("no commit was shared (%d commits): the batches were not exercised", c)
	}
}
