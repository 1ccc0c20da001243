package gorgiassim

import (
	"testing"
	"time"
)

func TestLeakyBucket(t *testing.T) {
	b := newBucket(40, 20*time.Second) // drains 2 per second
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 40; i++ {
		level, _, ok := b.take(t0)
		if !ok || level != i {
			t.Fatalf("request %d: level %d, ok %v", i, level, ok)
		}
	}
	level, wait, ok := b.take(t0)
	if ok || level != 40 || wait != 500*time.Millisecond {
		t.Fatalf("request 41: level %d, wait %v, ok %v; want refused, 500ms", level, wait, ok)
	}
	if _, _, ok := b.take(t0.Add(499 * time.Millisecond)); ok {
		t.Fatal("let through before a slot drained")
	}
	if level, _, ok := b.take(t0.Add(500 * time.Millisecond)); !ok || level != 40 {
		t.Fatalf("after 500ms: level %d, ok %v", level, ok)
	}
	if level, wait, ok := b.take(t0.Add(30 * time.Second)); !ok || level != 1 || wait != 0 {
		t.Fatalf("after draining: level %d wait %v ok %v", level, wait, ok)
	}
	if _, _, ok := newBucket(-1, time.Second).take(t0); !ok {
		t.Fatal("a bucket turned off refused a request")
	}
}
