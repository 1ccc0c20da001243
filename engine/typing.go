package engine

import (
	"context"
	"sync"
	"time"

	"switchboard"
)

// typingFor is how long "an agent is typing" lasts unless renewed: a
// platform that never says the agent stopped does not leave it on.
const typingFor = 30 * time.Second

// typing holds, per client, until when an agent is typing. It is memory
// only: a hint for the pages open on this instance, never stored, so losing
// it (a restart, another instance) loses nothing but the indicator.
type typing struct {
	mu    sync.Mutex
	until map[switchboard.ClientKey]time.Time
}

// set records whether an agent is typing to a client and reports whether
// that changed what pages show.
func (ty *typing) set(key switchboard.ClientKey, on bool, now time.Time) bool {
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
		ty.until[key] = now.Add(typingFor)
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
	topic := switchboard.TopicClient(s.Client)
	if e.typing.set(s.Client, on && s.Live(), e.clock.Now()) && e.notifier != nil {
		e.notifier.Notify(topic)
		if on {
			// Wake the pages when it lapses, so they hide it.
			time.AfterFunc(typingFor, func() { e.notifier.Notify(topic) })
		}
	}
	return nil
}

// AgentIsTyping reports whether an agent is typing to a client now.
func (e *Engine) AgentIsTyping(key switchboard.ClientKey) bool {
	return e.typing.on(key, e.clock.Now())
}
