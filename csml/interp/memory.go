package interp

import (
	"encoding/json"
	"maps"
	"slices"
)

// memory holds the client's remembered values during a run. Values arrive in
// the memory format and are decoded only when read; values not written keep
// their original bytes in the output.
type memory struct {
	slots map[string]*memSlot
}

type memSlot struct {
	raw     json.RawMessage
	v       Value
	decoded bool
	dirty   bool
}

func newMemory(raw map[string]json.RawMessage) *memory {
	m := &memory{slots: make(map[string]*memSlot, len(raw))}
	for k, v := range raw {
		m.slots[k] = &memSlot{raw: v}
	}
	return m
}

// ref returns the stored value of key k, decoding it on first use; an
// undecodable value reads as null.
func (m *memory) ref(k string) *Value {
	s := m.slots[k]
	if s == nil {
		return nil
	}
	if !s.decoded {
		s.v, _ = ParseMemory(s.raw)
		s.decoded = true
	}
	return &s.v
}

func (m *memory) has(k string) bool { _, ok := m.slots[k]; return ok }

// set stores v (already owned by the memory) under k.
func (m *memory) set(k string, v Value) {
	m.slots[k] = &memSlot{v: v, decoded: true, dirty: true}
}

// touch marks k as changed in place.
func (m *memory) touch(k string) {
	if s := m.slots[k]; s != nil {
		s.dirty = true
	}
}

func (m *memory) forget(k string) { delete(m.slots, k) }

func (m *memory) forgetAll() { clear(m.slots) }

// current returns every memory in the memory format.
func (m *memory) current() map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m.slots))
	for k, s := range m.slots {
		if s.dirty {
			out[k] = appendMem(nil, s.v, true)
		} else {
			out[k] = s.raw
		}
	}
	return out
}

// each calls f with every memory, decoded, in key order.
func (m *memory) each(f func(k string, v Value)) {
	for _, k := range slices.Sorted(maps.Keys(m.slots)) {
		f(k, *m.ref(k))
	}
}
