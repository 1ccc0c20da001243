package webapp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// Buffers of a page's connection. net/http hands a hijacked connection over
// with 4 KiB buffers each way, which an idle page keeps for as long as it
// stays: most of what it costs after its goroutines. A frame larger than a
// buffer is read or written straight from the caller's slice, at the cost of
// one more system call. What a page sends is small (an event, a pong) and
// rare; what it is sent is a message of a few hundred bytes, several a turn,
// each of which a smaller write buffer would split in two writes.
const (
	readBuffer  = 256
	writeBuffer = 1024
)

// smallBuffers is the ResponseWriter the WebSocket is accepted on: its
// Hijack gives the connection smaller buffers, and keeps the network
// connection for the write deadlines (see conn.writeFrame).
type smallBuffers struct {
	http.ResponseWriter
	conn net.Conn // set by Hijack
}

// Unwrap lets http.ResponseController reach the server's ResponseWriter.
func (w *smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack takes the connection over from net/http with buffers of readBuffer
// and writeBuffer bytes. What the page sent after its handshake, which
// net/http may already have read, is in the new read buffer, where the
// websocket library looks for it.
func (w *smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Writer.Flush(); err != nil { // nothing is buffered there, but be sure
		conn.Close()
		return nil, nil, err
	}
	r := bufio.NewReaderSize(conn, readBuffer)
	if n := brw.Reader.Buffered(); n > 0 {
		early, _ := brw.Reader.Peek(n)
		r = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(early), conn), max(readBuffer, n))
		if _, err := r.Peek(n); err != nil { // only reads the early bytes
			conn.Close()
			return nil, nil, err
		}
	}
	w.conn = conn
	return conn, bufio.NewReadWriter(r, bufio.NewWriterSize(conn, writeBuffer)), nil
}
