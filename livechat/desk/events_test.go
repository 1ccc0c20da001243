package desk_test

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/desk"
)

// window is the desk's shortest time between two "changed" events in these
// tests, and slack what the timing of a shared test machine may take off or
// add.
const (
	window = 250 * time.Millisecond
	slack  = 40 * time.Millisecond
)

// timedEvent is an event and when the test read it.
type timedEvent struct {
	sseEvent
	at time.Time
}

// collect reads the events of a stream until it is quiet for quiet.
func collect(es *eventStream, quiet time.Duration) []timedEvent {
	var out []timedEvent
	for {
		ev := es.next(quiet)
		if ev.name == "" {
			return out
		}
		out = append(out, timedEvent{ev, time.Now()})
	}
}

// openQuietStream opens agent A's event stream with the test window, reads
// its "ready" and waits until no window can be open.
func openQuietStream(t *testing.T, f *fixture) *eventStream {
	t.Helper()
	t.Cleanup(desk.SetListWindow(window))
	es := f.signIn(emailA, passwordA).openEvents()
	if ev := es.next(5 * time.Second); ev.name != "ready" {
		t.Fatalf("first event %q, want ready", ev.name)
	}
	time.Sleep(2 * window)
	return es
}

// sessionsData decodes a "sessions" event's data.
func sessionsData(t *testing.T, ev timedEvent) (ids []string, all bool) {
	t.Helper()
	var d struct {
		IDs []string `json:"ids"`
		All bool     `json:"all"`
	}
	if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
		t.Fatalf("sessions event data %q: %v", ev.data, err)
	}
	return d.IDs, d.All
}

func TestTheEventStreamNamesEverySessionAtOnceAndFoldsTheListChanges(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := openQuietStream(t, f)

	// 100 notifications over about half a second, alternating between two
	// sessions, as a busy desk makes them. The events are read (and timed)
	// while the notifications go.
	start := time.Now()
	done := make(chan time.Time)
	go func() {
		for i := range 100 {
			time.Sleep(time.Until(start.Add(time.Duration(i) * 5 * time.Millisecond)))
			f.hub.Notify(switchboard.TopicDeskSession([]string{"s-even", "s-odd"}[i%2]))
		}
		done <- time.Now()
	}()
	evs := collect(es, 3*window)
	last := <-done

	var changed []timedEvent
	named := map[string]time.Time{} // session -> when it was last named
	for _, ev := range evs {
		switch ev.name {
		case "changed":
			changed = append(changed, ev)
		case "sessions":
			ids, all := sessionsData(t, ev)
			if all || len(ids) == 0 {
				t.Fatalf("sessions event %s, want the sessions named", ev.data)
			}
			for _, id := range ids {
				if id != "s-even" && id != "s-odd" {
					t.Fatalf("sessions event names %q, which was not notified", id)
				}
				named[id] = ev.at
			}
		default:
			t.Fatalf("event %q, want sessions or changed", ev.name)
		}
	}
	// Every change of a session is told at once: the last notification of
	// each is named after it was made, without waiting for a window.
	for _, id := range []string{"s-even", "s-odd"} {
		at, ok := named[id]
		if !ok {
			t.Fatalf("%s was never named", id)
		}
		if at.Before(last.Add(-20 * time.Millisecond)) {
			t.Errorf("%s was last named %v before the last notifications", id, last.Sub(at))
		}
	}
	if first := evs[0]; first.name != "sessions" || first.at.Sub(start) > window/2 {
		t.Errorf("first event %q came %v after the first notification, want sessions at once", first.name, first.at.Sub(start))
	}
	// The list changes are folded: one at once, then one per window. The
	// notifications take about half a second, longer on a loaded machine.
	most := max(4, 2+int((last.Sub(start)+window-1)/window))
	if len(changed) < 2 || len(changed) > most {
		t.Fatalf("100 notifications over %v gave %d changed events, want 2 to %d", last.Sub(start), len(changed), most)
	}
	for i := 1; i < len(changed); i++ {
		if gap := changed[i].at.Sub(changed[i-1].at); gap < window-slack {
			t.Errorf("changed events %d and %d are %v apart, want at least %v", i-1, i, gap, window)
		}
	}
	if first := changed[0].at.Sub(start); first > window-slack {
		t.Errorf("the first changed event came %v after the first notification, want at once", first)
	}
	if !changed[len(changed)-1].at.After(last) {
		t.Errorf("no changed event after the last notification: the last change of the list would be lost")
	}
}

func TestTheEventStreamSendsTheListChangeAtOnceAfterAQuietSpellAndAtTheWindowsEndWithinIt(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := openQuietStream(t, f)

	// After a quiet spell the change goes out at once, its session named.
	notified := time.Now()
	f.hub.Notify(switchboard.TopicDeskSession("s1"))
	if ev := es.next(5 * time.Second); ev.name != "sessions" || ev.data != `{"ids":["s1"]}` {
		t.Fatalf("after a notification: event %+v, want sessions naming s1", ev)
	}
	if ev := es.next(5 * time.Second); ev.name != "changed" {
		t.Fatalf("then event %q, want changed", ev.name)
	}
	first := time.Now()
	if d := first.Sub(notified); d > window/2 {
		t.Errorf("a change after a quiet spell came after %v, want at once", d)
	} else if d < desk.ListDelay {
		// The page reads the named conversation first, its list after.
		t.Errorf("a change after a quiet spell came after %v, want %v after the session was named", d, desk.ListDelay)
	}

	// Within the window the session is named at once, the list change goes
	// out at the window's end, not before.
	time.Sleep(window / 3)
	notified = time.Now()
	f.hub.Notify(switchboard.TopicDeskSession("s2"))
	if ev := es.next(5 * time.Second); ev.name != "sessions" || ev.data != `{"ids":["s2"]}` {
		t.Fatalf("after a notification within the window: event %+v, want sessions naming s2", ev)
	} else if d := time.Since(notified); d > window/2 {
		t.Errorf("a session changed within the window was named after %v, want at once", d)
	}
	if ev := es.next(5 * time.Second); ev.name != "changed" {
		t.Fatalf("then event %q, want changed", ev.name)
	}
	if d := time.Since(first); d < window-slack || d > 2*window {
		t.Errorf("a list change within the window came %v after the previous one, want about %v", d, window)
	}
	if ev := es.next(2 * window); ev.name != "" {
		t.Errorf("then event %q, want none", ev.name)
	}
}

func TestTheEventStreamSaysAllWhenItCannotTellWhichSessionsChanged(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := openQuietStream(t, f)

	// Hints that may have been missed (the fan-out between instances
	// reconnected): the page must read what it has open, whatever it is.
	f.hub.WakeAll()
	ev := es.next(5 * time.Second)
	if ev.name != "sessions" {
		t.Fatalf("after a wake-up: event %q, want sessions", ev.name)
	}
	if ids, all := sessionsData(t, timedEvent{sseEvent: ev}); !all || len(ids) != 0 {
		t.Fatalf("after a wake-up: sessions %s, want all", ev.data)
	}
	// Notifications of other topics are not the desk's.
	f.hub.Notify(switchboard.TopicJobs, switchboard.TopicClient(switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u"}))
	for ev := es.next(2 * window); ev.name != ""; ev = es.next(2 * window) {
		if ev.name == "sessions" {
			t.Fatalf("after other topics: sessions %s, want none", ev.data)
		}
	}
}

func TestAConversationAloneChangingNamesItWithoutAListChange(t *testing.T) {
	f := newFixture(t, desk.Config{})
	es := openQuietStream(t, f)

	// An agent's message or the customer typing: the page with the
	// conversation open reads it; no list is read for it.
	f.hub.Notify(switchboard.TopicDeskConversation("s1"))
	if ev := es.next(5 * time.Second); ev.name != "sessions" || ev.data != `{"ids":[],"conversations":["s1"]}` {
		t.Fatalf("after a conversation's change: event %+v, want sessions naming s1's conversation", ev)
	}
	if ev := es.next(2 * window); ev.name != "" {
		t.Fatalf("then event %q, want none: the list did not change", ev.name)
	}

	// Both at once: the session is named for the list, once.
	f.hub.Notify(switchboard.TopicDeskConversation("s2"), switchboard.TopicDeskSession("s2"))
	if ev := es.next(5 * time.Second); ev.name != "sessions" || ev.data != `{"ids":["s2"]}` {
		t.Fatalf("after both changes: event %+v, want sessions naming s2 alone", ev)
	}
	if ev := es.next(5 * time.Second); ev.name != "changed" {
		t.Fatalf("then event %q, want changed", ev.name)
	}
}
