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
	hook  webhook
	until time.Time
}

// channelByKey returns the API channel of a key, or nil, and its webhook.
func (a *API) channelByKey(ctx context.Context, key string) (*switchboard.Channel, webhook, error) {
	now := a.clock.Now()
	a.keys.mu.RLock()
	e, ok := a.keys.m[key]
	a.keys.mu.RUnlock()
	if ok && now.Before(e.until) {
		return &e.ch, e.hook, nil
	}
	var (
		ch   *switchboard.Channel
		hook webhook
	)
	err := a.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if ch, err = tx.FindChannelByAPIKey(ctx, key); err != nil || ch == nil {
			return err
		}
		hook, err = webhookOf(ctx, tx, ch.ID)
		return err
	})
	if err != nil {
		return nil, webhook{}, fmt.Errorf("find channel: %w", err)
	}
	if ch == nil || ch.Type != switchboard.ChannelAPI {
		return nil, webhook{}, nil
	}
	a.keys.mu.Lock()
	if a.keys.m == nil || len(a.keys.m) >= maxKeyMemo {
		a.keys.m = make(map[string]memoEntry)
	}
	a.keys.m[key] = memoEntry{ch: *ch, hook: hook, until: now.Add(keyTTL)}
	a.keys.mu.Unlock()
	return ch, hook, nil
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
