package attachment

import (
	"sync"
	"time"

	"switchboard"
)

// Upload throttling: anyone can become a chat page visitor, so the files of
// one sender (the chat page's: one address) are limited to throttleLimit
// within throttleWindow, in memory per instance: a restart forgets them,
// which only lets a sender start again.
const (
	throttleLimit   = 20
	throttleWindow  = 10 * time.Minute
	maxThrottleKeys = 100_000
)

// throttle counts recent uploads per key.
type throttle struct {
	mu   sync.Mutex
	seen map[string][]time.Time // the last throttleLimit uploads, oldest first
}

// admit counts an upload of key at now, or refuses it when key sent
// throttleLimit files within the window.
func (t *throttle) admit(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil || len(t.seen) >= maxThrottleKeys {
		t.prune(now)
	}
	recent := t.seen[key]
	for len(recent) > 0 && now.Sub(recent[0]) >= throttleWindow {
		recent = recent[1:]
	}
	if len(recent) >= throttleLimit {
		t.seen[key] = recent
		return false
	}
	t.seen[key] = append(recent, now)
	return true
}

// prune forgets the keys with no upload in the window; when every key is
// recent (a flood of addresses), it forgets them all rather than grow.
func (t *throttle) prune(now time.Time) {
	if t.seen == nil {
		t.seen = map[string][]time.Time{}
		return
	}
	for k, ts := range t.seen {
		if now.Sub(ts[len(ts)-1]) >= throttleWindow {
			delete(t.seen, k)
		}
	}
	if len(t.seen) >= maxThrottleKeys {
		t.seen = map[string][]time.Time{}
	}
}

// Admit counts an upload of a sender that anyone can become (a chat page
// visitor, keyed by address) and refuses it, ETOOMANY, when the sender
// sent too many files lately.
func (s *Service) Admit(key string) error {
	if s.limit.admit(key, s.cfg.Clock.Now()) {
		return nil
	}
	return switchboard.Errorf(switchboard.ETOOMANY, "more than %d files were sent from here in %s: wait a few minutes before sending another", throttleLimit, throttleWindow)
}
