package desk_test

import (
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/desk"
)

// window is the desk's shortest time between two "changed" events, and slack
// what the timing of a shared test machine may take off or add.
const (
	window = 250 * time.Millisecond
	slack  = 40 * time.Millisecond
)

// timedEvent is an event name and when the test read it.
type timedEvent struct {
	name string
	at   time.Time
}

// collect reads the events of a stream until it is quiet for quiet.
func collect(es *eventStream, quiet time.Duration) []timedEvent {
	var out []timedEvent
	for {
		name := es.next(quiet)
		if name == "" {
			return out
		}
		out = append(out, timedEvent{name, time.Now()})
	}
}

func TestTheEventStreamFoldsABurstIntoFewEvents(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := f.signIn(emailA, passwordA).openEvents()
	if ev := es.next(5 * time.Second); ev != "ready" {
		t.Fatalf("first event %q, want ready", ev)
	}
	time.Sleep(2 * window) // no window open

	// 100 notifications over about half a second, as a busy desk makes them.
	// The events are read (and timed) while the notifications go.
	start := time.Now()
	done := make(chan time.Time)
	go func() {
		for i := range 100 {
			time.Sleep(time.Until(start.Add(time.Duration(i) * 5 * time.Millisecond)))
			f.hub.Notify(switchboard.TopicDesk)
		}
		done <- time.Now()
	}()
	evs := collect(es, 3*window)
	last := <-done
	if len(evs) < 2 || len(evs) > 4 {
		t.Fatalf("100 notifications over %v gave %d events, want 2 to 4", last.Sub(start), len(evs))
	}
	for i, ev := range evs {
		if ev.name != "changed" {
			t.Fatalf("event %d is %q, want changed", i, ev.name)
		}
		if i > 0 {
			if gap := ev.at.Sub(evs[i-1].at); gap < window-slack {
				t.Errorf("events %d and %d are %v apart, want at least %v", i-1, i, gap, window)
			}
		}
	}
	if first := evs[0].at.Sub(start); first > window-slack {
		t.Errorf("the first event came %v after the first notification, want at once", first)
	}
	if !evs[len(evs)-1].at.After(last) {
		t.Errorf("no event after the last notification: the last change would be lost")
	}
}

func TestTheEventStreamSendsAtOnceAfterAQuietSpellAndAtTheWindowsEndWithinIt(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := f.signIn(emailA, passwordA).openEvents()
	if ev := es.next(5 * time.Second); ev != "ready" {
		t.Fatalf("first event %q, want ready", ev)
	}
	time.Sleep(2 * window)

	// After a quiet spell a change goes out at once.
	notified := time.Now()
	f.hub.Notify(switchboard.TopicDesk)
	if ev := es.next(5 * time.Second); ev != "changed" {
		t.Fatalf("after a notification: event %q, want changed", ev)
	}
	first := time.Now()
	if d := first.Sub(notified); d > window/2 {
		t.Errorf("a change after a quiet spell came after %v, want at once", d)
	}

	// A change inside the window goes out at its end, not before.
	time.Sleep(window / 3)
	f.hub.Notify(switchboard.TopicDesk)
	if ev := es.next(5 * time.Second); ev != "changed" {
		t.Fatalf("after a notification within the window: event %q, want changed", ev)
	}
	if d := time.Since(first); d < window-slack || d > 2*window {
		t.Errorf("a change within the window came %v after the previous event, want about %v", d, window)
	}
	if ev := es.next(2 * window); ev != "" {
		t.Errorf("then event %q, want none", ev)
	}
}
