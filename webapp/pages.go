package webapp

import (
	"context"
	"sync"
	"time"

	"switchboard/internal/wsserver"
)

// beatSlots is how many groups the live pages are pinged in, one group
// every ping interval / beatSlots: a page is pinged every ping interval,
// and the pings of many pages are spread over it.
const beatSlots = 25

// pages holds a handler's live connections, for its two walks over them: the
// heartbeat and the shutdown. An idle page costs an entry in one of the
// slots' sets, where a timer and a context callback of its own cost it
// several hundred bytes each.
type pages struct {
	mu    sync.Mutex
	slots [beatSlots]map[*conn]struct{}
	next  int         // the slot the heartbeat pings next
	beat  *time.Timer // runs while pages are live
	n     int         // live pages
	gone  bool        // the handler is shutting down: no page joins
}

// join adds a live page to the heartbeat's most recently pinged slot: its
// first ping comes a ping interval later. It is false when the handler is
// shutting down.
func (h *Handler) join(c *conn) bool {
	p := &h.pages
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gone {
		return false
	}
	c.slot = (p.next + beatSlots - 1) % beatSlots
	if p.slots[c.slot] == nil {
		p.slots[c.slot] = make(map[*conn]struct{})
	}
	p.slots[c.slot][c] = struct{}{}
	p.n++
	if p.beat == nil {
		p.beat = time.AfterFunc(h.pingEvery/beatSlots, h.heartbeat)
	}
	return true
}

// leave takes a page out; the heartbeat stops with the last one.
func (h *Handler) leave(c *conn) {
	p := &h.pages
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.slots[c.slot], c)
	p.n--
	if p.n == 0 && p.beat != nil {
		p.beat.Stop()
		p.beat = nil
	}
}

// heartbeat pings the pages of the next slot, and comes back for the
// following one while any page is live.
func (h *Handler) heartbeat() {
	p := &h.pages
	p.mu.Lock()
	slot := p.slots[p.next]
	due := make([]*conn, 0, len(slot))
	for c := range slot {
		due = append(due, c)
	}
	p.next = (p.next + 1) % beatSlots
	if p.beat != nil {
		p.beat.Reset(h.pingEvery / beatSlots)
	}
	p.mu.Unlock()
	for _, c := range due {
		c.ping()
	}
}

// goAway tells every live page "going away" and ends its connection; the
// pages reconnect (to another instance, or to this one once it is back).
// It runs once, when the handler's base context ends.
func (h *Handler) goAway() {
	p := &h.pages
	p.mu.Lock()
	p.gone = true
	var all []*conn
	for _, slot := range p.slots {
		for c := range slot {
			all = append(all, c)
		}
	}
	p.mu.Unlock()
	for _, c := range all {
		// The reader gets the page's answer and ends the connection, or
		// the socket is closed if none comes in time. A page slow to take
		// the close frame holds up no other.
		go func() { _ = c.ws.Close(wsserver.StatusGoingAway, "the server is shutting down: reconnect") }()
	}
}

// ping checks that the page is still there, so that a peer that vanished
// without closing (a phone that lost its network) is noticed and its
// connection freed. The ping is a control frame, written between data
// frames; its pong wakes the parked reader, and the goroutine that waits
// for it runs only while it waits. A page whose last ping is still unanswered is skipped.
func (c *conn) ping() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pinging {
		return
	}
	c.pinging = c.start(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.h.pingTimeout)
		err := c.ws.Ping(ctx)
		cancel()
		if err != nil {
			if !c.ended() {
				c.log().Info("webapp: page did not answer a ping", "err", err)
			}
			c.end()
			return
		}
		c.mu.Lock()
		c.pinging = false
		c.mu.Unlock()
	})
}
