package wsserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// closeTimeout is how long a close handshake this side started waits for the
// peer's close frame before the connection is closed anyway.
const closeTimeout = 5 * time.Second

// ErrClosing is returned by writes after a close frame was sent: the
// protocol allows no data after it.
var ErrClosing = errors.New("websocket: the connection is closing")

// Conn is the server side of one WebSocket connection. One goroutine at a
// time reads (ReadMessage, Park); any may write, one frame at a time.
type Conn struct {
	// Limit is the largest message ReadMessage returns, in bytes. A larger
	// message is read and dropped up to DiscardLimit bytes more, then the
	// connection is closed with 1009 and a reason that gives the limit: the
	// peer learns why, where closing with unread data would reset the
	// connection. Past DiscardLimit it is closed at once.
	Limit, DiscardLimit int64
	// WriteTimeout bounds each frame's write; 0 is none.
	WriteTimeout time.Duration

	nc    net.Conn
	early []byte        // what came with the handshake, not read yet
	br    *bufio.Reader // while reading; nil while parked

	wmu       sync.Mutex // one frame written at a time
	sentClose bool       // guarded by wmu: no data frame after it

	mu         sync.Mutex
	closing    bool          // a close handshake was started
	closed     bool          // the socket is closed
	pong       chan struct{} // the pong a Ping waits for
	timer      *time.Timer   // ends a close handshake the peer leaves unanswered
	registered bool          // the socket is known to the poller (see Park)
	id         uint64        // its key there
}

// newConn serves nc with a 32 KiB message limit and nothing read past it.
func newConn(nc net.Conn) *Conn {
	return &Conn{nc: nc, Limit: 32 << 10}
}

// readers are the read buffers of connections while they read: a parked
// connection gives its buffer back.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// rawReader reads what came with the handshake, then the socket.
type rawReader struct{ c *Conn }

func (r rawReader) Read(p []byte) (int, error) {
	if c := r.c; len(c.early) > 0 {
		n := copy(p, c.early)
		if c.early = c.early[n:]; len(c.early) == 0 {
			c.early = nil
		}
		return n, nil
	}
	return r.c.nc.Read(p)
}

// ReadMessage returns the next data message (OpText or OpBinary, with its
// payload), or the opcode of a control frame it answered between messages
// (OpPing: a pong was sent; OpPong: a waiting Ping returns), with no data.
// A close frame from the peer is answered, and returned as a *CloseError; a
// breach of the protocol closes the connection with the status it calls
// for, and is returned as a *CloseError too. After any error the connection
// is closed.
func (c *Conn) ReadMessage() (Opcode, []byte, error) {
	if c.br == nil {
		c.br = readers.Get().(*bufio.Reader)
		c.br.Reset(rawReader{c})
	}
	op, data, err := c.next()
	if err == nil {
		return op, data, nil
	}
	var f *closeFailure
	var ce *CloseError
	switch {
	case errors.As(err, &ce): // the peer's close
		c.mu.Lock()
		answer := !c.closing
		c.closing = true
		c.mu.Unlock()
		if answer {
			var p []byte
			if ce.Code != StatusNoStatus {
				p = closePayload(ce.Code, "")
			}
			_ = c.writeFrame(OpClose, p)
		}
	case errors.As(err, &f):
		// Closing with unread data would reset the connection, and the peer
		// might not read why: what it sends until its close frame is read
		// and dropped (closeTimeout bounds the wait), unless there is too
		// much of it.
		if c.Close(f.code, f.reason) == nil && !f.now {
			for {
				if _, _, err := c.next(); err != nil {
					break
				}
			}
		}
		err = &CloseError{Code: f.code, Reason: f.reason}
	}
	_ = c.CloseNow()
	return 0, nil, err
}

// next reads frames up to a whole data message or a control frame between
// messages.
func (c *Conn) next() (Opcode, []byte, error) {
	var (
		op         Opcode // of the message being read, once its first frame is
		msg        []byte
		total      int64
		discarding bool
	)
	for {
		h, err := readHeader(c.br)
		if err != nil {
			return 0, nil, err
		}
		if h.op.isControl() {
			p := make([]byte, h.length)
			if _, err := io.ReadFull(c.br, p); err != nil {
				return 0, nil, unexpected(err)
			}
			unmask(p, h.mask, 0)
			if err := c.control(h.op, p); err != nil {
				return 0, nil, err
			}
			if op == 0 {
				return h.op, nil, nil
			}
			continue
		}
		switch {
		case h.op == OpContinuation && op == 0:
			return 0, nil, protocolError("a continuation frame came with no message to continue")
		case h.op != OpContinuation && op != 0:
			return 0, nil, protocolError("a message began before the previous one ended")
		case h.op != OpContinuation:
			op = h.op
		}
		if h.length > c.Limit+c.DiscardLimit-total {
			return 0, nil, c.tooBig(true)
		}
		if total+h.length > c.Limit {
			discarding = true
		}
		if discarding {
			if _, err := io.CopyN(io.Discard, c.br, h.length); err != nil {
				return 0, nil, unexpected(err)
			}
		} else {
			start := len(msg)
			msg = append(msg, make([]byte, h.length)...)
			if _, err := io.ReadFull(c.br, msg[start:]); err != nil {
				return 0, nil, unexpected(err)
			}
			unmask(msg[start:], h.mask, 0)
		}
		total += h.length
		if h.fin {
			if discarding {
				return 0, nil, c.tooBig(false)
			}
			if msg == nil {
				msg = []byte{}
			}
			return op, msg, nil
		}
	}
}

// tooBig is the failure of a message over the limit; now when the rest is
// not worth reading.
func (c *Conn) tooBig(now bool) error {
	return &closeFailure{code: StatusMessageTooBig, reason: fmt.Sprintf("a message may hold %d bytes at most", c.Limit), now: now}
}

// control acts on a control frame: a ping is answered, a pong ends a Ping's
// wait, a close is returned as the peer's *CloseError.
func (c *Conn) control(op Opcode, p []byte) error {
	switch op {
	case OpPing:
		if err := c.writeFrame(OpPong, p); err != nil && !errors.Is(err, ErrClosing) {
			return fmt.Errorf("answer a ping: %w", err)
		}
	case OpPong:
		c.mu.Lock()
		if c.pong != nil {
			close(c.pong)
			c.pong = nil
		}
		c.mu.Unlock()
	case OpClose:
		ce, err := parseClose(p)
		if err != nil {
			return err
		}
		return ce
	}
	return nil
}

// WriteText sends a text message.
func (c *Conn) WriteText(data []byte) error {
	if err := c.writeFrame(OpText, data); err != nil {
		return fmt.Errorf("write text: %w", err)
	}
	return nil
}

// writeFrame writes one final frame within the write timeout; after a close
// frame it writes nothing more.
func (c *Conn) writeFrame(op Opcode, p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.sentClose {
		return ErrClosing
	}
	if c.WriteTimeout > 0 {
		if err := c.nc.SetWriteDeadline(time.Now().Add(c.WriteTimeout)); err != nil {
			return err
		}
		defer c.nc.SetWriteDeadline(time.Time{}) // fails only once the socket is closed
	}
	bufs := net.Buffers{appendHeader(make([]byte, 0, 10), op, len(p)), p}
	_, err := bufs.WriteTo(c.nc)
	if op == OpClose {
		c.sentClose = true
	}
	return err
}

// Ping sends a ping and waits for its pong, which the reader receives: the
// connection must be read (or parked) meanwhile. It fails when ctx ends
// first or the connection closes.
func (c *Conn) Ping(ctx context.Context) error {
	pong := make(chan struct{})
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return net.ErrClosed
	}
	c.pong = pong
	c.mu.Unlock()
	if err := c.writeFrame(OpPing, nil); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	select {
	case <-pong:
	case <-ctx.Done():
		return fmt.Errorf("ping: %w", ctx.Err())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("ping: %w", net.ErrClosed)
	}
	return nil
}

// Close starts the close handshake: it sends a close frame with code and
// reason and returns; the reader gets the peer's answer, and the connection
// is closed then, or closeTimeout later if none comes.
func (c *Conn) Close(code StatusCode, reason string) error {
	c.mu.Lock()
	if c.closing || c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closing = true
	c.timer = time.AfterFunc(closeTimeout, func() { _ = c.CloseNow() })
	c.mu.Unlock()
	if err := c.writeFrame(OpClose, closePayload(code, reason)); err != nil {
		_ = c.CloseNow()
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

// CloseNow closes the socket without a handshake. A parked connection is
// woken, so that its reader learns the end.
func (c *Conn) CloseNow() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	wake := c.unpark()
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.pong != nil { // a Ping waiting learns the end
		close(c.pong)
		c.pong = nil
	}
	err := c.nc.Close()
	c.mu.Unlock()
	if wake != nil {
		wake()
	}
	return err
}

// Park gives up reading until the peer sends something or the connection is
// closed; then wake is called, once, on the poller's goroutine: it should
// only start a reader. The connection keeps no read buffer meanwhile. Park
// reports false, and calls nothing, when it cannot park: data is already
// read and waiting, the connection is closed, or this platform has no
// poller; the caller then goes on reading.
func (c *Conn) Park(wake func()) bool {
	if len(c.early) > 0 || c.br != nil && c.br.Buffered() > 0 {
		return false
	}
	if c.br != nil {
		c.br.Reset(nil)
		readers.Put(c.br)
		c.br = nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed && c.park(wake)
}
