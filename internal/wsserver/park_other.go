//go:build !linux

package wsserver

// park cannot park without a poller: the caller reads on.
func (c *Conn) park(func()) bool { return false }

// unpark has nothing to undo.
func (c *Conn) unpark() func() { return nil }
