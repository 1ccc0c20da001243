package hub

import (
	"fmt"
	"slices"
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

func TestAPrefixSubscriptionLearnsWhichTopicsWereNotified(t *testing.T) {
	h := New()
	ch, names, cancel := h.SubscribePrefix("desk:")
	defer cancel()

	h.Notify("desk:s1", "jobs", "desk:s2")
	h.Notify("desk:s1")
	<-ch
	got, all := names()
	slices.Sort(got)
	if all || !slices.Equal(got, []string{"s1", "s2"}) {
		t.Fatalf("names %v (all %v), want [s1 s2]", got, all)
	}
	if got, all := names(); all || len(got) != 0 {
		t.Fatalf("a second read gave %v (all %v), want nothing new", got, all)
	}
	h.Notify("jobs", "client:x")
	select {
	case <-ch:
		t.Fatal("topics without the prefix woke the subscription")
	default:
	}
}

func TestAPrefixSubscriptionSaysAllWhenItCannotTell(t *testing.T) {
	h := New()
	ch, names, cancel := h.SubscribePrefix("desk:")
	defer cancel()

	// More names than it keeps: it cannot tell which.
	for i := range maxNames + 1 {
		h.Notify(fmt.Sprintf("desk:s%d", i))
	}
	<-ch
	if got, all := names(); !all || len(got) != 0 {
		t.Fatalf("after %d names: %d names, all %v; want all", maxNames+1, len(got), all)
	}
	h.Notify("desk:s1")
	if got, all := names(); all || !slices.Equal(got, []string{"s1"}) {
		t.Fatalf("after the overflow was read: %v (all %v), want [s1]", got, all)
	}

	// Notifications that may have been missed.
	h.WakeAll()
	<-ch
	if _, all := names(); !all {
		t.Fatal("after WakeAll: all is false")
	}
}

func TestCancelEndsAPrefixSubscription(t *testing.T) {
	h := New()
	ch, _, cancel := h.SubscribePrefix("desk:")
	cancel()
	cancel()
	h.Notify("desk:s1")
	select {
	case <-ch:
		t.Fatal("cancelled prefix subscription still received a hint")
	default:
	}
	if len(h.families) != 0 {
		t.Fatalf("prefixes left after the last cancel: %v", h.families)
	}
}

func TestSubscribeFuncCallsEachSubscriberUntilCancelled(t *testing.T) {
	h := New()
	var a, b int
	cancelA := h.SubscribeFunc("t", func() { a++ })
	cancelB := h.SubscribeFunc("t", func() { b++ })
	h.Notify("t", "other")
	cancelA()
	cancelA() // twice is harmless
	h.Notify("t")
	if a != 1 || b != 2 {
		t.Fatalf("woken a %d and b %d times, want 1 and 2", a, b)
	}
	cancelB()
	h.Notify("t")
	if b != 2 || len(h.topics) != 0 {
		t.Fatalf("after the last cancel: b woken %d times, topics %v", b, h.topics)
	}
}
