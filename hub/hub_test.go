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

// relayFunc is a Relay of a function.
type relayFunc func([]string)

func (f relayFunc) Publish(topics []string) { f(topics) }

func TestNotifyHandsTopicsToTheRelayAndDeliverDoesNot(t *testing.T) {
	h := New()
	var published [][]string
	h.SetRelay(relayFunc(func(topics []string) { published = append(published, topics) }))
	ch, cancel := h.Subscribe("a")
	defer cancel()
	h.Deliver("a") // from another instance: woken, not published again
	<-ch
	if len(published) != 0 {
		t.Fatalf("Deliver published %v", published)
	}
	h.Notify("a", "b")
	<-ch
	if len(published) != 1 || len(published[0]) != 2 {
		t.Fatalf("Notify published %v, want [[a b]]", published)
	}
}

func TestWakeAllWakesEverySubscriber(t *testing.T) {
	h := New()
	a, cancelA := h.Subscribe("a")
	defer cancelA()
	b, cancelB := h.Subscribe("b")
	defer cancelB()
	h.WakeAll()
	for _, ch := range []<-chan struct{}{a, b} {
		select {
		case <-ch:
		default:
			t.Fatal("a subscriber was not woken")
		}
	}
}
