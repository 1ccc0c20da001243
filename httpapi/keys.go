package httpapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"switchboard"
)

// Channels found by their API key are remembered for keyTTL, so that a turn
// does not pay a store read for its credentials. Rotating keys through the
// administration of this process forgets the old key at once (ForgetKey);
// another instance's rotation makes this one forget every key when its
// notification arrives (ForgetKeys), and within keyTTL at worst.
const (
	keyTTL     = 2 * time.Second
	maxKeyMemo = 10_000
)

type keyMemo struct {
	mu sync.RWMutex
	m  map[string]memoEntry
}

type memoEntry struct {
	ch    switchboard.Channel
	until time.Time
}

// channelByKey returns the API channel of a key, or nil.
func (a *API) channelByKey(ctx context.Context, key string) (*switchboard.Channel, error) {
	now := a.clock.Now()
	a.keys.mu.RLock()
	e, ok := a.keys.m[key]
	a.keys.mu.RUnlock()
	if ok && now.Before(e.until) {
		return &e.ch, nil
	}
	var ch *switchboard.Channel
	err := a.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		ch, err = tx.FindChannelByAPIKey(ctx, key)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find channel: %w", err)
	}
	if ch == nil || ch.Type != switchboard.ChannelAPI {
		return nil, nil
	}
	a.keys.mu.Lock()
	if a.keys.m == nil || len(a.keys.m) >= maxKeyMemo {
		a.keys.m = make(map[string]memoEntry)
	}
	a.keys.m[key] = memoEntry{ch: *ch, until: now.Add(keyTTL)}
	a.keys.mu.Unlock()
	return ch, nil
}

// ForgetKey stops trusting a key at once: the administration calls it when
// it rotates a channel's keys.
func (a *API) ForgetKey(key string) {
	a.keys.mu.Lock()
	delete(a.keys.m, key)
	a.keys.mu.Unlock()
}

// ForgetKeys stops trusting every remembered key: another instance changed
// a channel's credentials, and which one is not known here.
func (a *API) ForgetKeys() {
	a.keys.mu.Lock()
	clear(a.keys.m)
	a.keys.mu.Unlock()
}
