package engine

import (
	"context"
	"sync"

	"switchboard"
)

// maxSessionKeys bounds the session clients the engine remembers; past it,
// it forgets them all and starts again.
const maxSessionKeys = 1 << 14

// sessionKeys remembers the client of each session it was asked for: a
// session's client never changes, so every agent action after the first
// finds the client to lock without reading the store first.
type sessionKeys struct {
	mu   sync.Mutex
	keys map[string]switchboard.ClientKey
}

// of returns the client of session id, from memory or from the store.
func (k *sessionKeys) of(ctx context.Context, store switchboard.Store, id string) (switchboard.ClientKey, error) {
	k.mu.Lock()
	key, ok := k.keys[id]
	k.mu.Unlock()
	if ok {
		return key, nil
	}
	err := store.View(ctx, func(tx switchboard.Tx) error {
		s, err := tx.Session(ctx, id)
		if err != nil {
			return err
		}
		key = s.Client
		return nil
	})
	if err != nil {
		return key, err
	}
	k.mu.Lock()
	if k.keys == nil || len(k.keys) >= maxSessionKeys {
		k.keys = make(map[string]switchboard.ClientKey)
	}
	k.keys[id] = key
	k.mu.Unlock()
	return key, nil
}
