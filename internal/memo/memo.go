// Package memo remembers what a pure function made of a byte string, so that
// the same input met again is not decoded again: the hold of a bot that many
// users wait at, decoded on every turn, is the same JSON for most of them.
package memo

import "sync"

// Cache maps inputs to what a decode function made of them. It holds at most
// Max entries and forgets them all when full, which keeps it cheap and
// bounded: inputs that recur come back at once. It is safe for concurrent
// use; the values it returns are shared, so callers must not change them.
type Cache[V any] struct {
	Max int // entries kept; 1,024 when 0

	mu sync.RWMutex
	m  map[string]V
}

// Get returns what decode returns for key, decoded once while key is
// remembered. A value decode reports as not ok is returned, not remembered.
func (c *Cache[V]) Get(key []byte, decode func([]byte) (V, bool)) V {
	c.mu.RLock()
	v, found := c.m[string(key)] // a lookup: no copy of key
	c.mu.RUnlock()
	if found {
		return v
	}
	v, ok := decode(key)
	if !ok {
		return v
	}
	limit := c.Max
	if limit <= 0 {
		limit = 1024
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= limit {
		c.m = make(map[string]V)
	}
	c.m[string(key)] = v
	c.mu.Unlock()
	return v
}
