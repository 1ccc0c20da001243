package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"switchboard"
)

// A batch left with nobody waiting commits at once on a quiet store, and
// lingers, open for the Updates about to come, when the last commit was
// recent; its timer commits it within lingerDelay, and an Update that comes
// meanwhile shares its commit.
func TestABatchLingersOnlyWhenUpdatesComeOften(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	put := func(name string) func(switchboard.Tx) error {
		return func(tx switchboard.Tx) error { return tx.PutSetting(ctx, name, json.RawMessage(`1`)) }
	}
	open := func() *batch {
		db.w.mu.Lock()
		defer db.w.mu.Unlock()
		return db.w.batch
	}

	// Quiet: the last commit was long ago.
	db.w.mu.Lock()
	db.w.lastCommit = time.Now().Add(-time.Second)
	db.w.mu.Unlock()
	b, err := db.w.run(ctx, put("quiet"))
	if err != nil || b == nil {
		t.Fatalf("run: %v", err)
	}
	if open() != nil {
		t.Fatal("a lone Update on a quiet store left its batch open")
	}
	<-b.done

	// Busy: that commit just ended. The batch lingers for longer than the
	// test takes, and the next Update joins it.
	db.w.mu.Lock()
	db.w.lingerFor = time.Minute
	db.w.lastCommit = time.Now().Add(time.Hour) // recent however slow the test runs
	db.w.mu.Unlock()
	commits := db.w.commits.Load()
	first, err := db.w.run(ctx, put("busy-1"))
	if err != nil || first == nil {
		t.Fatalf("run: %v", err)
	}
	if open() != first {
		t.Fatal("with commits under busyGap apart, the batch did not linger")
	}
	second, err := db.w.run(ctx, put("busy-2"))
	if err != nil || second != first {
		t.Fatalf("an Update during the linger got batch %p, want the lingering %p (%v)", second, first, err)
	}
	if _, err := db.w.hold(); err != nil { // commits what is open, as a migration would
		t.Fatal(err)
	}
	db.w.unhold()
	<-first.done
	if first.err != nil {
		t.Fatal(first.err)
	}
	if n := db.w.commits.Load() - commits; n != 1 {
		t.Fatalf("two Updates took %d commits, want 1", n)
	}
	// With the real delay, the timer commits a lingering batch.
	db.w.mu.Lock()
	db.w.lingerFor = lingerDelay
	db.w.mu.Unlock()
	last, err := db.w.run(ctx, put("busy-3"))
	if err != nil || last == nil {
		t.Fatalf("run: %v", err)
	}
	select {
	case <-last.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the lingering batch was never committed")
	}
	if err := db.View(ctx, func(tx switchboard.Tx) error {
		for _, name := range []string{"busy-1", "busy-2", "busy-3"} {
			if v, err := tx.Setting(ctx, name); err != nil || v == nil {
				return fmt.Errorf("%s not stored: %v", name, err)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
