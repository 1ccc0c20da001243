package sqlite

import (
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
)

// A bot turn starts with a View that reads its client's state and its bot's
// livechat settings, and every commit of another turn makes that View's
// connection drop its page cache and read those pages again: a fifth of a
// turn's CPU. Only this process writes the database (its one writer
// connection), so it knows when a row changes: a hook on the writer sees
// every row it inserts, updates or deletes (hook.go), and the commit that
// writes it forgets what the cache held for it, before any Update of that
// commit returns. So ClientState and Setting in a View answer from memory
// what they read before, as long as nothing changed it since.
//
// What a View reads from the database comes from its snapshot, which may be
// older than the cache's clock: a View must not put into the cache a state
// that a commit changed after the View's snapshot. Each commit that changes
// a watched row ticks the clock and marks the keys it changed with its tick;
// a View notes the clock before its snapshot, and puts a key only if no
// commit since marked it. A key the cache forgot (to stay small) may have
// been marked: floor is the newest mark forgotten, and a View older than it
// puts nothing for a key the cache does not hold.

// cacheKey names what the cache holds: a client's state (table 'c', the
// key) or a setting (table 's', its name in bot).
type cacheKey struct {
	table              byte
	bot, channel, user string
}

// clientCacheKey is the cache key of a client's state.
func clientCacheKey(k switchboard.ClientKey) cacheKey {
	return cacheKey{table: 'c', bot: k.BotID, channel: k.ChannelID, user: k.UserID}
}

// settingCacheKey is the cache key of a setting.
func settingCacheKey(name string) cacheKey { return cacheKey{table: 's', bot: name} }

// cacheEntry is what the cache knows of a key: the tick of the last commit
// that changed it (as far as it knows), and its value, unless that commit
// made it stale.
type cacheEntry struct {
	mark  uint64
	state *switchboard.ClientState // a client's state, or nil
	value json.RawMessage          // a setting's value (nil: no such setting)
	held  bool                     // the value is current
}

// maxCached bounds the keys the cache holds: about 10,000 clients active at
// once. Past it, a key picked at random is forgotten for each new one.
const maxCached = 16384

// stateCache is the cache of the Views of one store.
type stateCache struct {
	peers   *peers // the other stores on the database, which write unseen
	mu      sync.Mutex
	clock   atomic.Uint64 // commits that changed a watched row
	floor   uint64        // the newest mark forgotten
	entries map[cacheKey]*cacheEntry
	limit   int
}

func newStateCache(p *peers) *stateCache {
	return &stateCache{peers: p, entries: make(map[cacheKey]*cacheEntry), limit: maxCached}
}

// usable reports whether a View may use the cache: no other store has the
// database open. It forgets everything when another may have written since
// the last call.
func (c *stateCache) usable() bool { return c.peers.alone(c.reset) }

// now is the clock, to be read before a View's snapshot.
func (c *stateCache) now() uint64 { return c.clock.Load() }

// state returns a copy of the client's cached state, if held.
func (c *stateCache) state(k switchboard.ClientKey) (*switchboard.ClientState, bool) {
	c.mu.Lock()
	e := c.entries[clientCacheKey(k)]
	var s *switchboard.ClientState
	if e != nil && e.held {
		s = e.state
	}
	c.mu.Unlock()
	if s == nil {
		return nil, false
	}
	return cloneState(s), true
}

// setting returns a cached setting's value (nil when there is no such
// setting), if held.
func (c *stateCache) setting(name string) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[settingCacheKey(name)]
	if e == nil || !e.held {
		return nil, false
	}
	return e.value, true // clipped: an append copies it
}

// putState keeps a copy of a client's state read by a View whose snapshot
// is no older than the clock's since.
func (c *stateCache) putState(k switchboard.ClientKey, s *switchboard.ClientState, since uint64) {
	c.put(clientCacheKey(k), since, func(e *cacheEntry) { e.state = cloneState(s) })
}

// putSetting keeps a setting's value read by a View whose snapshot is no
// older than the clock's since.
func (c *stateCache) putSetting(name string, value json.RawMessage, since uint64) {
	c.put(settingCacheKey(name), since, func(e *cacheEntry) { e.value = clip(value) })
}

// put keeps a value set by fill for k, unless a commit changed k after since.
func (c *stateCache) put(k cacheKey, since uint64, fill func(*cacheEntry)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[k]
	switch {
	case e != nil && e.mark > since, e == nil && c.floor > since:
		return
	case e == nil:
		c.makeRoom()
		e = &cacheEntry{mark: c.floor}
		c.entries[k] = e
	}
	fill(e)
	e.held = true
}

// changed ticks the clock for a commit that changed rows, and marks their
// keys with the tick. A client whose changed rows are all the patches'
// gets its state patched, if the cache held it; what it held for any other
// key is stale.
func (c *stateCache) changed(ch *changes) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tick := c.clock.Add(1)
	for k, n := range ch.keys {
		e := c.entries[k]
		if e == nil {
			c.makeRoom()
			e = &cacheEntry{}
			c.entries[k] = e
		}
		var s *switchboard.ClientState
		if e.held && e.state != nil && !ch.unpatched && ch.expected[k] == n {
			s = patched(e.state, ch.patches[k])
		}
		*e = cacheEntry{mark: tick, state: s, held: s != nil}
	}
}

// patched is a copy of s with the patches applied, or nil if one cannot
// tell the new state.
func patched(s *switchboard.ClientState, patches []patch) *switchboard.ClientState {
	if len(patches) == 0 {
		return nil
	}
	out := cloneState(s)
	for _, p := range patches {
		if !p(out) {
			return nil
		}
	}
	return out
}

// reset forgets everything: for writes the hook may not have seen.
func (c *stateCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.floor = c.clock.Add(1)
	clear(c.entries)
}

// makeRoom forgets keys at random (the map's order) until there is room
// for one more; mu is held.
func (c *stateCache) makeRoom() {
	if len(c.entries) < c.limit {
		return // the usual case: no map iteration to start
	}
	for k, e := range c.entries {
		if len(c.entries) < c.limit {
			return
		}
		c.floor = max(c.floor, e.mark)
		delete(c.entries, k)
	}
}

// cloneState copies a state so that neither its reader nor the cache sees
// the other's changes. JSON documents are shared, clipped so that an append
// copies them: the store's callers replace documents, never edit them.
func cloneState(s *switchboard.ClientState) *switchboard.ClientState {
	out := &switchboard.ClientState{Memories: slices.Clip(slices.Clone(s.Memories))}
	for i := range out.Memories {
		out.Memories[i].Value = clip(out.Memories[i].Value)
	}
	if s.Client != nil {
		c := *s.Client
		c.Metadata = clip(c.Metadata)
		out.Client = &c
	}
	if s.LiveSession != nil {
		out.LiveSession = cloneSession(s.LiveSession)
	}
	if s.OpenCSAT != nil {
		a := *s.OpenCSAT
		a.AnsweredAt = cloneTime(a.AnsweredAt)
		out.OpenCSAT = &a
	}
	if s.Conversation != nil {
		c := *s.Conversation
		c.Hold = clip(c.Hold)
		out.Conversation = &c
	}
	return out
}

// cloneSession copies a session, its times and tags.
func cloneSession(s *switchboard.Session) *switchboard.Session {
	c := *s
	c.Metadata = clip(c.Metadata)
	c.Tags = slices.Clip(slices.Clone(c.Tags))
	c.ClaimedAt, c.ActivatedAt, c.FirstReplyAt, c.EndedAt = cloneTime(c.ClaimedAt), cloneTime(c.ActivatedAt),
		cloneTime(c.FirstReplyAt), cloneTime(c.EndedAt)
	return &c
}

// cloneTime copies an optional time.
func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// clip is a JSON document without room to append in place.
func clip(j json.RawMessage) json.RawMessage { return slices.Clip(j) }
