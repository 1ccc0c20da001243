// Package hub is the in-process fan-out of notifications: after a transaction
// commits, the engine notifies topics, and every live connection subscribed to a
// topic wakes up and reads the store. A hint is coalesced (a subscriber holds at
// most one pending hint) and never carries data, so a slow subscriber cannot
// block the notifier and a dropped or repeated hint cannot lose or repeat a
// message.
//
// Several instances sharing a database also share their notifications
// through a Relay (package hub/pgnotify): Notify hands every topic to the
// relay, which publishes it to the other instances, whose relays Deliver it
// to their own hub.
package hub

import (
	"slices"
	"strings"
	"sync"

	"switchboard"
)

// Hub implements switchboard.Notifier and switchboard.Subscriber in memory.
type Hub struct {
	mu sync.Mutex
	// topics holds each topic's subscriptions in a slice: most topics are
	// one client's, with one or two pages, and a server holds thousands of
	// idle ones, for which a set of their own would cost a map each.
	topics   map[string][]*subscription
	families map[string]map[*family]struct{} // by prefix
	relay    Relay
}

// Relay carries notifications to the other instances of switchboard.
// Publish must not block: it is called after every commit.
type Relay interface {
	Publish(topics []string)
}

// subscription is one subscriber of a topic: wake is called, under the
// hub's lock, after each notification.
type subscription struct{ wake func() }

// maxNames bounds the names a family subscription keeps between two reads;
// past it, the subscriber is told to re-read everything.
const maxNames = 1024

// family is a subscription to every topic that begins with a prefix: it
// keeps the rest of the names notified since its last read (guarded by the
// hub's mutex).
type family struct {
	ch    chan struct{}
	names map[string]struct{}
	all   bool
}

// add notes a notified name (or that it keeps too many to tell) and wakes
// the subscriber.
func (f *family) add(name string) {
	switch {
	case f.all:
	case len(f.names) < maxNames:
		f.names[name] = struct{}{}
	default:
		f.all = true
		clear(f.names)
	}
	wake(f.ch)
}

// wake leaves a hint on ch unless one is already pending: it never blocks.
func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

var (
	_ switchboard.Notifier   = (*Hub)(nil)
	_ switchboard.Subscriber = (*Hub)(nil)
)

// New returns an empty hub.
func New() *Hub {
	return &Hub{topics: make(map[string][]*subscription), families: make(map[string]map[*family]struct{})}
}

// SetRelay makes Notify also hand its topics to r (nil: none).
func (h *Hub) SetRelay(r Relay) {
	h.mu.Lock()
	h.relay = r
	h.mu.Unlock()
}

// Notify wakes every subscriber of each topic without blocking, and hands
// the topics to the relay, if any.
func (h *Hub) Notify(topics ...string) {
	h.mu.Lock()
	r := h.relay
	h.mu.Unlock()
	h.Deliver(topics...)
	if r != nil {
		r.Publish(topics)
	}
}

// Deliver wakes every subscriber of each topic without blocking, in this
// process only: it is how a relay hands over the notifications of other
// instances.
func (h *Hub) Deliver(topics ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		for _, s := range h.topics[t] {
			s.wake()
		}
		for prefix, subs := range h.families {
			if name, ok := strings.CutPrefix(t, prefix); ok {
				for f := range subs {
					f.add(name)
				}
			}
		}
	}
}

// WakeAll wakes every subscriber of every topic, for when notifications may
// have been missed (a relay reconnecting): each re-reads the store.
func (h *Hub) WakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.topics {
		for _, s := range subs {
			s.wake()
		}
	}
	for _, subs := range h.families {
		for f := range subs {
			f.all = true
			clear(f.names)
			wake(f.ch)
		}
	}
}

// Subscribe returns a channel that receives a hint after each notification of
// topic, and a function that ends the subscription.
func (h *Hub) Subscribe(topic string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	return ch, h.SubscribeFunc(topic, func() { wake(ch) })
}

// SubscribeFunc calls wake after each notification of topic, until the
// returned function ends the subscription. It costs no goroutine and no
// channel, for subscribers that are idle most of the time: wake runs on the
// notifier's goroutine with the hub locked, so it must return at once and
// not call the hub.
func (h *Hub) SubscribeFunc(topic string, wake func()) (cancel func()) {
	s := &subscription{wake: wake}
	h.mu.Lock()
	h.topics[topic] = append(h.topics[topic], s)
	h.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			subs := slices.DeleteFunc(h.topics[topic], func(o *subscription) bool { return o == s })
			if len(subs) == 0 {
				delete(h.topics, topic)
			} else {
				h.topics[topic] = subs
			}
		})
	}
}

// join adds v to the set of key in m, under the hub's lock, and returns the
// function that takes it out again (once), forgetting a key left empty.
func join[T comparable](h *Hub, m map[string]map[T]struct{}, key string, v T) (cancel func()) {
	h.mu.Lock()
	set := m[key]
	if set == nil {
		set = make(map[T]struct{})
		m[key] = set
	}
	set[v] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			delete(m[key], v)
			if len(m[key]) == 0 {
				delete(m, key)
			}
			h.mu.Unlock()
		})
	}
}

// SubscribePrefix returns a channel that receives a hint after each
// notification of a topic that begins with prefix; names returns the rest of
// the names of the topics notified since its last call, or all when it cannot
// tell (more than it keeps, or notifications that may have been missed);
// cancel ends the subscription.
func (h *Hub) SubscribePrefix(prefix string) (<-chan struct{}, func() ([]string, bool), func()) {
	f := &family{ch: make(chan struct{}, 1), names: make(map[string]struct{})}
	names := func() ([]string, bool) {
		h.mu.Lock()
		defer h.mu.Unlock()
		all := f.all
		out := make([]string, 0, len(f.names))
		for n := range f.names {
			out = append(out, n)
		}
		f.all = false
		clear(f.names)
		return out, all
	}
	return f.ch, names, join(h, h.families, prefix, f)
}
