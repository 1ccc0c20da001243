package channel

import (
	"bytes"
	"sync"

	"switchboard"
)

// conns keeps the channels this instance opened, so that a webhook or a
// job does not decode and unseal a channel's settings again each time (a
// WhatsApp turn opens its channel five times: its message, its reply and
// the reply's three receipts).
//
// The rule that keeps it correct across instances: a cached Conn is used
// only by a transaction that has read the channel's row and its settings
// document and found the type and the document byte for byte those the
// Conn was opened from (open). Every edit writes a new document (its
// secrets sealed again, with fresh nonces) and a deletion writes {} and
// deletes the row, so an edit or a deletion made on any instance takes
// effect at the next transaction that opens the channel: no notification
// is needed, and none can be missed. The one use before such a read is a
// webhook's signature checked before its transaction starts (precheck); its
// transaction opens the channel again and checks the delivery again when
// the Conn changed, and a check that fails on a cached Conn is made again
// on a freshly opened one.
type conns struct {
	mu sync.Mutex
	m  map[string]*opened
}

// opened is one channel opened from its stored settings.
type opened struct {
	typ  switchboard.ChannelType
	doc  []byte // the settings document as stored
	conn Conn
}

// get returns the Conn opened from the document doc of a channel of type
// typ, or nil.
func (c *conns) get(channelID string, typ switchboard.ChannelType, doc []byte) Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if o := c.m[channelID]; o != nil && o.typ == typ && bytes.Equal(o.doc, doc) {
		return o.conn
	}
	return nil
}

// last returns the Conn opened last for a channel, unchecked, or nil: for
// a webhook's precheck only.
func (c *conns) last(channelID string) (switchboard.ChannelType, Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if o := c.m[channelID]; o != nil {
		return o.typ, o.conn
	}
	return "", nil
}

// put remembers the Conn opened from doc.
func (c *conns) put(channelID string, typ switchboard.ChannelType, doc []byte, conn Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*opened{}
	}
	c.m[channelID] = &opened{typ: typ, doc: bytes.Clone(doc), conn: conn}
}

// forget drops a channel that is gone.
func (c *conns) forget(channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, channelID)
}
