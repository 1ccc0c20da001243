package interp

import "iter"

// ObjectData is an object's keys and values, in insertion order. The
// reference's objects are hash maps with no order; keeping the order makes
// output deterministic. Lookups are linear on small objects and indexed on
// large ones.
type ObjectData struct {
	entries []entry
	index   map[string]int
}

type entry struct {
	key string
	val Value
}

const indexThreshold = 12

// tinyObject and smallObject hold an object and its entries in one
// allocation.
type tinyObject struct {
	o ObjectData
	e [2]entry
}

type smallObject struct {
	o ObjectData
	e [4]entry
}

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *ObjectData {
	switch {
	case n <= 2:
		s := &tinyObject{}
		s.o.entries = s.e[:0:n]
		return &s.o
	case n <= 4:
		s := &smallObject{}
		s.o.entries = s.e[:0:n]
		return &s.o
	}
	return &ObjectData{entries: make([]entry, 0, n)}
}

// Len returns the number of keys.
func (o *ObjectData) Len() int {
	if o == nil {
		return 0
	}
	return len(o.entries)
}

// All iterates over the keys and values in order.
func (o *ObjectData) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if o == nil {
			return
		}
		for _, e := range o.entries {
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// Keys returns the keys in order.
func (o *ObjectData) Keys() []string {
	keys := make([]string, o.Len())
	for i := range keys {
		keys[i] = o.entries[i].key
	}
	return keys
}

func (o *ObjectData) find(k string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[k]; ok {
			return i
		}
		return -1
	}
	for i := range o.entries {
		if o.entries[i].key == k {
			return i
		}
	}
	return -1
}

// Get returns the value of key k.
func (o *ObjectData) Get(k string) (Value, bool) {
	if i := o.find(k); i >= 0 {
		return o.entries[i].val, true
	}
	return Value{}, false
}

// Ref returns a pointer to the value of key k, valid until the object
// changes shape, or nil.
func (o *ObjectData) Ref(k string) *Value {
	if i := o.find(k); i >= 0 {
		return &o.entries[i].val
	}
	return nil
}

// Set sets key k, appending it when new.
func (o *ObjectData) Set(k string, v Value) {
	if i := o.find(k); i >= 0 {
		o.entries[i].val = v
		return
	}
	o.entries = append(o.entries, entry{key: k, val: v})
	if o.index != nil {
		o.index[k] = len(o.entries) - 1
	} else if len(o.entries) > indexThreshold {
		o.reindex()
	}
}

// Delete removes key k.
func (o *ObjectData) Delete(k string) {
	i := o.find(k)
	if i < 0 {
		return
	}
	o.entries = append(o.entries[:i], o.entries[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

func (o *ObjectData) reindex() {
	o.index = make(map[string]int, len(o.entries))
	for i, e := range o.entries {
		o.index[e.key] = i
	}
}

// Clone returns a deep copy.
func (o *ObjectData) Clone() *ObjectData {
	if o == nil {
		return nil
	}
	c := &ObjectData{entries: make([]entry, len(o.entries))}
	for i, e := range o.entries {
		c.entries[i] = entry{key: e.key, val: e.val.Clone()}
	}
	if o.index != nil {
		c.reindex()
	}
	return c
}
