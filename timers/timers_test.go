package timers_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/hub"
	"switchboard/internal/testclock"
	"switchboard/store/sqlite"
	"switchboard/timers"
)

func TestTimersFireAtTheirTimeAndRetryOnFailure(t *testing.T) {
	clock := testclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := hub.New()
	var mu sync.Mutex
	fired := map[string]int{}
	failOnce := map[string]bool{"flaky": true}
	handler := func(ctx context.Context, tm switchboard.Timer) error {
		mu.Lock()
		defer mu.Unlock()
		fired[tm.Key]++
		if failOnce[tm.Key] {
			failOnce[tm.Key] = false
			return errors.New("not now")
		}
		return store.Update(ctx, func(tx switchboard.Tx) error { return tx.DeleteTimer(ctx, tm.Key) })
	}
	w := timers.New(store, h, clock, map[string]timers.Handler{"k": handler}, timers.Config{Poll: time.Hour, MaxBackoff: time.Second}, slog.New(slog.DiscardHandler))
	w.Start(context.Background())
	defer w.Stop(context.Background())

	set := func(key string, in time.Duration) {
		err := store.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.SetTimer(context.Background(), &switchboard.Timer{Key: key, Kind: "k", DueAt: clock.Now().Add(in)})
		})
		if err != nil {
			t.Fatal(err)
		}
		h.Notify(switchboard.TopicTimers)
	}
	count := func(key string) int {
		mu.Lock()
		defer mu.Unlock()
		return fired[key]
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(2 * time.Millisecond)
			h.Notify(switchboard.TopicTimers) // the poll is an hour: hints drive the worker
		}
	}

	set("later", 10*time.Minute)
	set("flaky", time.Minute)
	time.Sleep(20 * time.Millisecond)
	if count("later")+count("flaky") != 0 {
		t.Fatal("a timer fired before its time")
	}
	clock.Advance(time.Minute)
	wait("the flaky timer's first attempt", func() bool { return count("flaky") == 1 })
	// The retry's due time comes from the clock when the failure is stored:
	// wait for it (the backoff, under 1.2 s, replaces the one-minute lease)
	// before moving the clock past it.
	wait("the flaky timer's retry to be stored", func() bool {
		var next *time.Time
		err := store.View(context.Background(), func(tx switchboard.Tx) error {
			var err error
			next, err = tx.NextTimerAt(context.Background())
			return err
		})
		return err == nil && next != nil && next.Before(clock.Now().Add(time.Minute))
	})
	clock.Advance(2 * time.Second) // past the backoff
	wait("the flaky timer's retry", func() bool { return count("flaky") == 2 })
	clock.Advance(10 * time.Minute)
	wait("the later timer", func() bool { return count("later") == 1 })
	clock.Advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	h.Notify(switchboard.TopicTimers)
	time.Sleep(20 * time.Millisecond)
	if count("later") != 1 || count("flaky") != 2 {
		t.Fatalf("deleted timers fired again: %v", fired)
	}
}
