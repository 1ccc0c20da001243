package engine

import (
	"context"
	"sync"
	"time"

	"switchboard"
)

// How long "typing" lasts unless renewed: a platform that never says the
// agent stopped does not leave it on, and a chat page that closes while its
// customer types leaves it on only for a few seconds (pages renew it every
// few seconds while the customer types).
const (
	typingFor         = 30 * time.Second
	customerTypingFor = 6 * time.Second
)

// typing holds, per client, until when someone (an agent, or the customer)
// is typing. It is memory only: a hint for the pages open on this instance,
// never stored, so losing it (a restart, another instance) loses nothing but
// the indicator.
type typing struct {
	mu    sync.Mutex
	until map[switchboard.ClientKey]time.Time
}

// set records whether someone is typing, for d unless renewed, and reports
// whether that changed what pages show.
func (ty *typing) set(key switchboard.ClientKey, on bool, now time.Time, d time.Duration) bool {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	was := now.Before(ty.until[key])
	for k, t := range ty.until {
		if !now.Before(t) {
			delete(ty.until, k)
		}
	}
	if on {
		if ty.until == nil {
			ty.until = make(map[switchboard.ClientKey]time.Time)
		}
		ty.until[key] = now.Add(d)
	} else {
		delete(ty.until, key)
	}
	return was != on
}

func (ty *typing) on(key switchboard.ClientKey, now time.Time) bool {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	return now.Before(ty.until[key])
}

// showTyping records that someone types (or stopped) and wakes the pages of
// topic when what they show changes, and when it lapses, so they hide it:
// each time it is set, a check d later wakes them if it has lapsed by then
// (the check of the last renewal is the one that finds it lapsed).
func (e *Engine) showTyping(ty *typing, key switchboard.ClientKey, on bool, d time.Duration, topic string) {
	if e.notifier == nil {
		ty.set(key, on, e.clock.Now(), d)
		return
	}
	if ty.set(key, on, e.clock.Now(), d) {
		e.notifier.Notify(topic)
	}
	if on {
		time.AfterFunc(d, func() {
			if !ty.on(key, e.clock.Now()) {
				e.notifier.Notify(topic)
			}
		})
	}
}

// AgentTyping shows (on) or hides "an agent is typing" on the pages of a
// live session's user, as platforms report it. Nothing is stored: the pages
// of the client are woken and read it with AgentIsTyping; it lapses after
// 30 seconds unless renewed, and an agent's message ends it.
func (e *Engine) AgentTyping(ctx context.Context, sessionID string, on bool) error {
	var s *switchboard.Session
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.Session(ctx, sessionID)
		return err
	})
	if err != nil {
		return err
	}
	e.showTyping(&e.typing, s.Client, on && s.Live(), typingFor, switchboard.TopicClient(s.Client))
	return nil
}

// AgentIsTyping reports whether an agent is typing to a client now.
func (e *Engine) AgentIsTyping(key switchboard.ClientKey) bool {
	return e.typing.on(key, e.clock.Now())
}

// CustomerTyping shows (on) or hides "the customer is typing" on the desk
// pages of the client's live session, as the chat page reports it; without
// a live session of a platform whose agents read the store (the desk) it
// does nothing. Nothing is stored: the desk pages are woken and read it with
// CustomerIsTyping; it lapses after 6 seconds unless renewed, and the
// customer's message ends it.
func (e *Engine) CustomerTyping(ctx context.Context, key switchboard.ClientKey, on bool) error {
	var s *switchboard.Session
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.FindLiveSession(ctx, key)
		return err
	})
	if err != nil {
		return err
	}
	if s == nil || !e.inStore(s) {
		return nil
	}
	e.showTyping(&e.customerTyping, key, on, customerTypingFor, switchboard.TopicDeskConversation(s.ID))
	return nil
}

// CustomerIsTyping reports whether a client's customer is typing now.
func (e *Engine) CustomerIsTyping(key switchboard.ClientKey) bool {
	return e.customerTyping.on(key, e.clock.Now())
}
