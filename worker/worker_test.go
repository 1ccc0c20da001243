package worker

import (
	"context"
	"switchboard/internal/eventually"

	"switchboard/hub"
	"sync/atomic"
	"testing"
	"time"
)

func TestWakeCutsTheSleepShort(t *testing.T) {
	h := hub.New()
	var rounds atomic.Int32
	l := NewLoop(func(context.Context) time.Duration {
		rounds.Add(1)
		return time.Hour
	}, h, "t", time.Hour)
	l.Start(context.Background())
	defer l.Stop(context.Background())

	eventually.True(t, 2*time.Second, "the rounds", func() bool { return rounds.Load() == 1 })
	h.Notify("t")
	eventually.True(t, 2*time.Second, "the rounds", func() bool { return rounds.Load() == 2 })
}

func TestPollBoundsTheSleep(t *testing.T) {
	var rounds atomic.Int32
	l := NewLoop(func(context.Context) time.Duration {
		rounds.Add(1)
		return time.Hour
	}, nil, "", 10*time.Millisecond)
	l.Start(context.Background())
	defer l.Stop(context.Background())
	eventually.True(t, 2*time.Second, "the rounds", func() bool { return rounds.Load() >= 3 })
}

func TestStopWaitsForWorkInFlight(t *testing.T) {
	var finished atomic.Bool
	var l *Loop
	started := make(chan struct{})
	l = NewLoop(func(context.Context) time.Duration {
		l.Go(func() {
			close(started)
			time.Sleep(50 * time.Millisecond)
			finished.Store(true)
		})
		return time.Hour
	}, nil, "", time.Hour)
	l.Start(context.Background())
	<-started
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !finished.Load() {
		t.Fatal("Stop returned before the work in flight finished")
	}
}

func TestSafelyTurnsAPanicIntoAnError(t *testing.T) {
	err := Safely(func() error { panic("boom") })
	if err == nil || err.Error() != "panic: boom" {
		t.Fatalf("got %v", err)
	}
	if err := Safely(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := Backoff(i+1, 10*time.Second, nil); got != w {
			t.Errorf("attempt %d: got %s, want %s", i+1, got, w)
		}
	}
	if got := Backoff(1, time.Minute, func() float64 { return 0.5 }); got != 1100*time.Millisecond {
		t.Errorf("jitter: got %s, want 1.1s", got)
	}
}
