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
	"sync"

	"switchboard"
)

// Hub implements switchboard.Notifier and switchboard.Subscriber in memory.
type Hub struct {
	mu     sync.Mutex
	topics map[string]map[*subscription]struct{}
	relay  Relay
}

// Relay carries notifications to the other instances of switchboard.
// Publish must not block: it is called after every commit.
type Relay interface {
	Publish(topics []string)
}

type subscription struct{ ch chan struct{} }

var (
	_ switchboard.Notifier   = (*Hub)(nil)
	_ switchboard.Subscriber = (*Hub)(nil)
)

// New returns an empty hub.
func New() *Hub {
	return &Hub{topics: make(map[string]map[*subscription]struct{})}
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
		for s := range h.topics[t] {
			select {
			case s.ch <- struct{}{}:
			default: // a hint is already pending
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
		for s := range subs {
			select {
			case s.ch <- struct{}{}:
			default:
			}
		}
	}
}

// Subscribe returns a channel that receives a hint after each notification of
// topic, and a function that ends the subscription.
func (h *Hub) Subscribe(topic string) (<-chan struct{}, func()) {
	s := &subscription{ch: make(chan struct{}, 1)}
	h.mu.Lock()
	subs := h.topics[topic]
	if subs == nil {
		subs = make(map[*subscription]struct{})
		h.topics[topic] = subs
	}
	subs[s] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.topics[topic], s)
			if len(h.topics[topic]) == 0 {
				delete(h.topics, topic)
			}
			h.mu.Unlock()
		})
	}
}
