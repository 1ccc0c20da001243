package sqlite_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/store/sqlite"
	"switchboard/store/storetest"
)

// openTemp opens a store in a fresh file of t's temporary directory.
func openTemp(t testing.TB, opts sqlite.Options) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "switchboard.db")
	db, err := sqlite.Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) switchboard.Store {
		db, _ := openTemp(t, sqlite.Options{})
		return db
	})
}

func TestMigrationsAreAppliedOnceAndSurviveReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v != sqlite.LatestSchemaVersion() || v < 1 {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, sqlite.LatestSchemaVersion())
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(ctx); err != nil || v != sqlite.LatestSchemaVersion() {
		t.Fatalf("SchemaVersion after reopen = %d, %v", v, err)
	}
}

func TestNoMigrateLeavesTheSchemaToMigrate(t *testing.T) {
	ctx := t.Context()
	db, _ := openTemp(t, sqlite.Options{NoMigrate: true})
	if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("SchemaVersion of a new database = %d, %v; want 0", v, err)
	}
	err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "s", json.RawMessage(`1`)) })
	if err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Fatalf("PutSetting before Migrate = %v, want a missing table", err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != sqlite.LatestSchemaVersion() {
		t.Fatalf("SchemaVersion after Migrate = %d, %v", v, err)
	}
	if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "s", json.RawMessage(`1`)) }); err != nil {
		t.Fatalf("PutSetting after Migrate: %v", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	k := switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u"}
	var ids []int64
	for i := range 3 {
		err := db.Update(ctx, func(tx switchboard.Tx) error {
			m := switchboard.Message{Client: k, Direction: switchboard.DirectionReceive,
				Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: switchboard.Payload{ContentType: "text",
					Content: json.RawMessage(`{"text": "hi"}`)}, InteractionOrder: i, CreatedAt: time.Now()}
			if err := tx.AddMessages(ctx, &m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
			return tx.PutSetting(ctx, "n", json.RawMessage(`{"n": `+string(rune('0'+i))+`}`))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(switchboard.Tx) error { return nil }); err == nil {
		t.Errorf("Update after Close = nil error")
	}

	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx switchboard.Tx) error {
		ms, err := tx.MessagesAfter(ctx, k, 0, 10)
		if err != nil {
			return err
		}
		if len(ms) != 3 || ms[0].ID != ids[0] || ms[2].ID != ids[2] {
			t.Errorf("messages after reopen = %+v, want ids %v", ms, ids)
		}
		n, err := tx.Setting(ctx, "n")
		if string(n) != `{"n": 2}` {
			t.Errorf("setting after reopen = %s", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Ids keep growing after a reopen.
	err = db.Update(ctx, func(tx switchboard.Tx) error {
		m := switchboard.Message{Client: k, Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderBot},
			Payload: switchboard.Payload{ContentType: "text"}}
		if err := tx.AddMessages(ctx, &m); err != nil {
			return err
		}
		if m.ID <= ids[2] {
			t.Errorf("id after reopen = %d, want > %d", m.ID, ids[2])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreatesDirectoriesAndRefusesMemory(t *testing.T) {
	_, path := openTemp(t, sqlite.Options{Synchronous: "full"})
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	for _, bad := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if db, err := sqlite.Open(t.Context(), bad, sqlite.Options{}); err == nil {
			db.Close()
			t.Errorf("Open(%q) = nil error", bad)
		} else if !strings.HasPrefix(err.Error(), "open store: ") {
			t.Errorf("Open(%q) = %v, want an error starting with %q", bad, err, "open store: ")
		}
	}
	if _, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db"), sqlite.Options{Synchronous: "sometimes"}); err == nil {
		t.Errorf("Open with a bad Synchronous = nil error")
	}
}

func TestAnIDIsNeverReused(t *testing.T) {
	// A completed job's id must not come back: a worker whose lease ran out
	// could otherwise complete somebody else's job.
	ctx := t.Context()
	db, _ := openTemp(t, sqlite.Options{})
	var first, second switchboard.Job
	err := db.Update(ctx, func(tx switchboard.Tx) error {
		first = switchboard.Job{Kind: "k", Key: "a"}
		if err := tx.EnqueueJob(ctx, &first); err != nil {
			return err
		}
		if err := tx.CompleteJob(ctx, first.ID); err != nil {
			return err
		}
		second = switchboard.Job{Kind: "k", Key: "a"}
		return tx.EnqueueJob(ctx, &second)
	})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID <= first.ID {
		t.Errorf("job ids %d then %d: an id was reused", first.ID, second.ID)
	}
}

func TestAnUpdateWhoseGoroutineExitsLeavesNothingBehind(t *testing.T) {
	// t.FailNow inside an Update's function ends the goroutine: the store must
	// roll back and stay usable.
	ctx := t.Context()
	db, _ := openTemp(t, sqlite.Options{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = db.Update(ctx, func(tx switchboard.Tx) error {
			if err := tx.PutSetting(ctx, "s", json.RawMessage(`1`)); err != nil {
				return err
			}
			runtime.Goexit()
			return nil
		})
	}()
	<-done
	finished := make(chan error, 1)
	go func() {
		finished <- db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "t", json.RawMessage(`2`)) })
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatalf("Update after a Goexit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Update after a Goexit never returned")
	}
	err := db.View(ctx, func(tx switchboard.Tx) error {
		s, err := tx.Setting(ctx, "s")
		if s != nil {
			t.Errorf("the write before the Goexit was kept: %s", s)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
