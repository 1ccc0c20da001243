package wsserver

import (
	"bytes"
	"net"
	"testing"
	"time"
)

// byteConn is a connection whose peer sent data and then nothing more;
// what is written to it is dropped.
type byteConn struct {
	net.Conn // nil: the methods below are all a Conn is asked for
	r        *bytes.Reader
}

func (c *byteConn) Read(p []byte) (int, error)         { return c.r.Read(p) }
func (c *byteConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *byteConn) Close() error                       { return nil }
func (c *byteConn) SetWriteDeadline(t time.Time) error { return nil }

// Whatever a peer sends, reading it ends in messages within the limit and an
// error, never a panic or a message past the limit.
func FuzzReadMessage(f *testing.F) {
	f.Add(frame(0x80|byte(OpText), []byte("bonjour"), false))
	f.Add(append(frame(byte(OpText), []byte("a"), false), frame(0x80|byte(OpContinuation), []byte("b"), false)...))
	f.Add(frame(0x80|byte(OpPing), []byte("p"), false))
	f.Add(frame(0x80|byte(OpClose), []byte{0x03, 0xE8, 'o', 'k'}, false))
	f.Add(frame(0x80|byte(OpText), make([]byte, 300), false))
	f.Add([]byte{0x81, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newConn(&byteConn{r: bytes.NewReader(data)})
		c.Limit, c.DiscardLimit = 256, 1024
		for range len(data) + 1 {
			op, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if int64(len(msg)) > c.Limit {
				t.Fatalf("a message of %d bytes, past the limit of %d", len(msg), c.Limit)
			}
			if op != OpText && op != OpBinary && op != OpPing && op != OpPong {
				t.Fatalf("ReadMessage returned opcode %v", op)
			}
		}
		t.Fatal("reading never ended")
	})
}
