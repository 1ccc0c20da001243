package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"switchboard"
)

// ClientState reads a client's state; a View answers it from the cache
// when it holds the client's latest state, else reads it and keeps it.
func (t *tx) ClientState(ctx context.Context, key switchboard.ClientKey) (*switchboard.ClientState, error) {
	if !t.useCache() {
		return switchboard.ReadClientState(ctx, t, key)
	}
	if err := t.ready(ctx); err != nil {
		return nil, err
	}
	if s, ok := t.c.cache.state(key); ok {
		return s, nil
	}
	s, err := switchboard.ReadClientState(ctx, t, key)
	if err != nil {
		return nil, err
	}
	t.c.cache.putState(key, s, t.since)
	return s, nil
}

// cachedSetting reads a setting in a View through the cache.
func (t *tx) cachedSetting(ctx context.Context, name string) (json.RawMessage, error) {
	if err := t.ready(ctx); err != nil {
		return nil, err
	}
	if v, ok := t.c.cache.setting(name); ok {
		return v, nil
	}
	v, err := t.readSetting(ctx, name)
	if err != nil {
		return nil, err
	}
	t.c.cache.putSetting(name, v, t.since)
	return v, nil
}

// useCache reports whether this transaction may read and fill the cache:
// it is a View, and no other store has the database open.
func (t *tx) useCache() bool {
	if !t.view {
		return false
	}
	if !t.looked {
		t.looked, t.cached = true, t.c.cache.usable()
	}
	return t.cached
}

// patch notes, in the writer's transaction, that a write changed n rows of
// a client's state as p says, so that the commit leaves the new state in
// the cache rather than forgetting it.
func (t *tx) patch(key switchboard.ClientKey, n int64, p patch) {
	if t.changes == nil || n == 0 {
		return
	}
	k := clientCacheKey(key)
	t.changes.expected[k] += int(n)
	t.changes.patches[k] = append(t.changes.patches[k], p)
}

// storedTime is a time as the store reads it back: to the microsecond, UTC.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return fromMicros(t.UnixMicro())
}

// storedTimePtr is an optional time as the store reads it back, in a copy
// of its own.
func storedTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := storedTime(*t)
	return &c
}

// storedJSON is a JSON document as the store reads it back, in a copy of
// its own.
func storedJSON(j json.RawMessage) json.RawMessage {
	if len(j) == 0 {
		return nil
	}
	return clip(bytes.Clone(j))
}

// conversationPatch is the patch of a conversation saved as c (its new
// version), created when created.
func conversationPatch(c *switchboard.Conversation, created bool) patch {
	saved := *c
	saved.Hold = storedJSON(c.Hold)
	saved.LastInteractionAt, saved.CreatedAt, saved.UpdatedAt = storedTime(c.LastInteractionAt),
		storedTime(c.CreatedAt), storedTime(c.UpdatedAt)
	open := saved.Status == switchboard.ConversationOpen
	return func(s *switchboard.ClientState) bool {
		c, was := saved, s.Conversation
		switch {
		case was != nil && was.ID == c.ID:
			// An update keeps the client and creation time as stored.
			c.Client, c.CreatedAt = was.Client, was.CreatedAt
		case !open:
			return true // another conversation, closed: the open one stays
		case !created:
			return false // reopened: its creation time is not known here
		}
		if open {
			s.Conversation = &c
		} else {
			s.Conversation = nil
		}
		return true
	}
}

// memoryPatch is the patch of a memory put.
func memoryPatch(m switchboard.Memory) patch {
	m.Value = storedJSON(m.Value)
	return func(s *switchboard.ClientState) bool {
		i, found := slices.BinarySearchFunc(s.Memories, m.Key, func(x switchboard.Memory, k string) int {
			return strings.Compare(x.Key, k)
		})
		if found {
			s.Memories[i] = m
		} else {
			s.Memories = slices.Insert(s.Memories, i, m)
		}
		return true
	}
}

// forgetPatch is the patch of memories deleted: those named, or all when
// all.
func forgetPatch(names []string, all bool) patch {
	names = slices.Clone(names)
	return func(s *switchboard.ClientState) bool {
		s.Memories = slices.DeleteFunc(s.Memories, func(m switchboard.Memory) bool {
			return all || slices.Contains(names, m.Key)
		})
		if len(s.Memories) == 0 {
			s.Memories = nil // as a read finds none
		}
		return true
	}
}

// clientPatch is the patch of a client put.
func clientPatch(c *switchboard.Client) patch {
	saved := *c
	saved.Metadata = storedJSON(c.Metadata)
	saved.CreatedAt, saved.UpdatedAt = storedTime(c.CreatedAt), storedTime(c.UpdatedAt)
	return func(s *switchboard.ClientState) bool {
		c := saved
		s.Client = &c
		return true
	}
}

// sessionPatch is the patch of a session created or replaced: while live,
// it is the client's live session.
func sessionPatch(s *switchboard.Session) patch {
	saved := *s
	saved.Metadata = storedJSON(s.Metadata)
	saved.Tags = slices.Clip(slices.Clone(s.Tags))
	if len(saved.Tags) == 0 {
		saved.Tags = nil // as a read finds none
	}
	saved.CreatedAt, saved.LastActivityAt = storedTime(s.CreatedAt), storedTime(s.LastActivityAt)
	saved.ClaimedAt, saved.ActivatedAt = storedTimePtr(s.ClaimedAt), storedTimePtr(s.ActivatedAt)
	saved.FirstReplyAt, saved.EndedAt = storedTimePtr(s.FirstReplyAt), storedTimePtr(s.EndedAt)
	return func(st *switchboard.ClientState) bool {
		was := st.LiveSession
		switch {
		case saved.Live() && was != nil && was.ID != saved.ID:
			return false // two live sessions: the store refuses them, so this is not known
		case saved.Live():
			st.LiveSession = cloneSession(&saved)
		case was != nil && was.ID == saved.ID:
			st.LiveSession = nil
		}
		return true
	}
}
