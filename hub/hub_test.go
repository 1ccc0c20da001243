package hub

import (
	"testing"
	"time"
)

func TestNotifyWakesSubscribersOfTheTopicOnly(t *testing.T) {
	h := New()
	a, cancelA := h.Subscribe("a")
	defer cancelA()
	b, cancelB := h.Subscribe("b")
	defer cancelB()

	h.Notify("a")
	select {
	case <-a:
	case <-time.After(time.Second):
		t.Fatal("subscriber of a was not woken")
	}
	select {
	case <-b:
		t.Fatal("subscriber of b was woken by a notification of a")
	default:
	}
}

func TestHintsCoalesceWithoutBlocking(t *testing.T) {
	h := New()
	ch, cancel := h.Subscribe("t")
	defer cancel()
	for i := 0; i < 100; i++ {
		h.Notify("t") // must not block although nobody reads
	}
	<-ch
	select {
	case <-ch:
		t.Fatal("100 notifications left more than one pending hint")
	default:
	}
}

func TestCancelStopsHintsAndForgetsTheTopic(t *testing.T) {
	h := New()
	ch, cancel := h.Subscribe("t")
	cancel()
	cancel() // twice is harmless
	h.Notify("t")
	select {
	case <-ch:
		t.Fatal("cancelled subscription still received a hint")
	default:
	}
	if len(h.topics) != 0 {
		t.Fatalf("topics left after the last cancel: %v", h.topics)
	}
}
