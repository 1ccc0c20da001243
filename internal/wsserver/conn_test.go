package wsserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// server accepts WebSockets and hands each Conn over.
type server struct {
	*httptest.Server
	conns chan *Conn
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{conns: make(chan *Conn, 64)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r)
		if err != nil {
			return
		}
		c.Limit, c.DiscardLimit, c.WriteTimeout = 1<<10, 4<<10, 5*time.Second
		s.conns <- c
	}))
	t.Cleanup(s.Close)
	return s
}

// accepted is the server side of the last connection.
func (s *server) accepted(t *testing.T) *Conn {
	t.Helper()
	select {
	case c := <-s.conns:
		t.Cleanup(func() { _ = c.CloseNow() })
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no connection accepted")
		return nil
	}
}

// dial connects with an independent client implementation.
func (s *server) dial(t *testing.T) (*websocket.Conn, *Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http"), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws, s.accepted(t)
}

// readData reads the next data message, skipping control frames.
func readData(t *testing.T, c *Conn) (Opcode, string) {
	t.Helper()
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if op == OpText || op == OpBinary {
			return op, string(data)
		}
	}
}

func TestMessagesBothWays(t *testing.T) {
	s := newServer(t)
	ws, c := s.dial(t)
	ctx := context.Background()
	for _, m := range []string{"bonjour", "", strings.Repeat("é", 500), strings.Repeat("x", 1<<10)} {
		if err := ws.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
		if op, got := readData(t, c); op != OpText || got != m {
			t.Fatalf("server read %v %.20q, want text %.20q", op, got, m)
		}
	}
	if err := ws.Write(ctx, websocket.MessageBinary, []byte{0, 1, 2}); err != nil {
		t.Fatal(err)
	}
	if op, got := readData(t, c); op != OpBinary || got != "\x00\x01\x02" {
		t.Fatalf("server read %v %q, want binary", op, got)
	}
	for _, m := range []string{"a", strings.Repeat("y", 200), strings.Repeat("z", 70_000)} {
		if err := c.WriteText([]byte(m)); err != nil {
			t.Fatal(err)
		}
		typ, got, err := ws.Read(ctx)
		if err != nil || typ != websocket.MessageText || string(got) != m {
			t.Fatalf("client read %v %.20q %v, want %.20q", typ, got, err, m)
		}
	}
}

func TestPingsBothWays(t *testing.T) {
	s := newServer(t)
	ws, c := s.dial(t)
	go func() { _, _, _ = ws.Read(context.Background()) }() // the client answers pings while it reads
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	serverRead := make(chan Opcode, 8)
	go func() {
		for {
			op, _, err := c.ReadMessage()
			if err != nil {
				close(serverRead)
				return
			}
			serverRead <- op
		}
	}()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("server ping: %v", err)
	}
	if op := <-serverRead; op != OpPong {
		t.Fatalf("the reader saw %v, want the pong", op)
	}
	if err := ws.Ping(ctx); err != nil {
		t.Fatalf("client ping: %v", err)
	}
	if op := <-serverRead; op != OpPing {
		t.Fatalf("the reader saw %v, want the ping", op)
	}
}

func TestServerCloseHandshake(t *testing.T) {
	s := newServer(t)
	ws, c := s.dial(t)
	readErr := make(chan error, 1)
	go func() { _, _, err := c.ReadMessage(); readErr <- err }()
	if err := c.Close(StatusGoingAway, "the server is shutting down: reconnect"); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteText([]byte("late")); !errors.Is(err, ErrClosing) {
		t.Fatalf("a write after the close frame: %v, want ErrClosing", err)
	}
	_, _, err := ws.Read(context.Background()) // answers the close
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway || ce.Reason != "the server is shutting down: reconnect" {
		t.Fatalf("client got %v, want 1001 and the reason", err)
	}
	select {
	case err := <-readErr:
		if CloseStatus(err) != int(StatusGoingAway) {
			t.Fatalf("server reader got %v, want the answer 1001", err)
		}
	case <-time.After(3 * time.Second): // well under closeTimeout
		t.Fatal("the server did not see the client's answer")
	}
}

func TestClientCloseIsAnswered(t *testing.T) {
	s := newServer(t)
	ws, c := s.dial(t)
	closed := make(chan error, 1)
	go func() { closed <- ws.Close(websocket.StatusNormalClosure, "bye") }()
	_, _, err := c.ReadMessage()
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != StatusNormalClosure || ce.Reason != "bye" {
		t.Fatalf("server got %v, want 1000 bye", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("the client's close handshake: %v", err)
	}
}

// rawClient speaks the protocol byte by byte, to send what a well-behaved
// client library never would.
type rawClient struct {
	nc net.Conn
	br *bufio.Reader
}

func (s *server) rawDial(t *testing.T, extra []byte) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	req := "GET / HTTP/1.1\r\nHost: " + strings.TrimPrefix(s.URL, "http://") + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
	if _, err := nc.Write(append([]byte(req), extra...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("handshake answer %d %v", resp.StatusCode, resp.Header)
	}
	return &rawClient{nc: nc, br: br}
}

// frame builds a client frame: first is the first byte (FIN, RSV, opcode),
// masked with a fixed key unless unmasked.
func frame(first byte, payload []byte, unmasked bool) []byte {
	b := []byte{first}
	n := len(payload)
	maskBit := byte(0x80)
	if unmasked {
		maskBit = 0
	}
	switch {
	case n <= 125:
		b = append(b, maskBit|byte(n))
	case n <= 0xFFFF:
		b = binary.BigEndian.AppendUint16(append(b, maskBit|126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, maskBit|127), uint64(n))
	}
	if unmasked {
		return append(b, payload...)
	}
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	b = append(b, key[:]...)
	for i, x := range payload {
		b = append(b, x^key[i%4])
	}
	return b
}

func (r *rawClient) send(t *testing.T, frames ...[]byte) {
	t.Helper()
	if _, err := r.nc.Write(bytes.Join(frames, nil)); err != nil {
		t.Fatal(err)
	}
}

// next reads a server frame: its opcode and payload. Server frames are never
// masked.
func (r *rawClient) next(t *testing.T) (Opcode, []byte) {
	t.Helper()
	_ = r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	var h [2]byte
	if _, err := io.ReadFull(r.br, h[:]); err != nil {
		t.Fatalf("read a frame: %v", err)
	}
	if h[1]&0x80 != 0 || h[0]&0x80 == 0 {
		t.Fatalf("a server frame is masked or not final: %x", h)
	}
	n := int(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		_, _ = io.ReadFull(r.br, b[:])
		n = int(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		_, _ = io.ReadFull(r.br, b[:])
		n = int(binary.BigEndian.Uint64(b[:]))
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r.br, p); err != nil {
		t.Fatalf("read a payload: %v", err)
	}
	return Opcode(h[0] & 0x0F), p
}

// wantClose reads up to the server's close frame and checks its status.
func (r *rawClient) wantClose(t *testing.T, code StatusCode) string {
	t.Helper()
	for {
		op, p := r.next(t)
		if op != OpClose {
			continue
		}
		if len(p) < 2 || StatusCode(binary.BigEndian.Uint16(p)) != code {
			t.Fatalf("close frame %q, want status %d", p, code)
		}
		return string(p[2:])
	}
}

func TestFragmentsMakeOneMessage(t *testing.T) {
	s := newServer(t)
	r := s.rawDial(t, nil)
	c := s.accepted(t)
	// A text message in three frames, with a ping between two of them.
	r.send(t, frame(byte(OpText), []byte("bon"), false), frame(0x80|byte(OpPing), []byte("p"), false),
		frame(byte(OpContinuation), []byte("jo"), false), frame(0x80|byte(OpContinuation), []byte("ur"), false))
	if op, got := readData(t, c); op != OpText || got != "bonjour" {
		t.Fatalf("got %v %q", op, got)
	}
	if op, p := r.next(t); op != OpPong || string(p) != "p" {
		t.Fatalf("the ping's answer: %v %q", op, p)
	}
}

func TestEarlyFramesAreRead(t *testing.T) {
	s := newServer(t)
	// The first frame is in the handshake's own write.
	r := s.rawDial(t, frame(0x80|byte(OpText), []byte("early"), false))
	c := s.accepted(t)
	if _, got := readData(t, c); got != "early" {
		t.Fatalf("got %q", got)
	}
	r.send(t, frame(0x80|byte(OpText), []byte("later"), false))
	if _, got := readData(t, c); got != "later" {
		t.Fatalf("got %q", got)
	}
}

func TestProtocolBreachesClose(t *testing.T) {
	for _, tc := range []struct {
		what   string
		frame  []byte
		code   StatusCode
		drains bool // what the client sends up to its close is read: no reset
	}{
		{"an unmasked frame", frame(0x80|byte(OpText), []byte("hi"), true), StatusProtocolError, false},
		{"a reserved bit", frame(0xC0|byte(OpText), []byte("hi"), false), StatusProtocolError, false},
		{"an unknown opcode", frame(0x83, nil, false), StatusProtocolError, false},
		{"a fragmented ping", frame(byte(OpPing), nil, false), StatusProtocolError, false},
		{"a 126-byte ping", frame(0x80|byte(OpPing), make([]byte, 126), false), StatusProtocolError, false},
		{"a continuation of nothing", frame(0x80|byte(OpContinuation), []byte("x"), false), StatusProtocolError, false},
		{"a message inside another", append(frame(byte(OpText), []byte("a"), false), frame(0x80|byte(OpText), []byte("b"), false)...), StatusProtocolError, false},
		{"a close with status 1005", frame(0x80|byte(OpClose), []byte{0x03, 0xED}, false), StatusProtocolError, false},
		{"a close with a 1-byte status", frame(0x80|byte(OpClose), []byte{0x03}, false), StatusProtocolError, false},
		{"a close reason that is not UTF-8", frame(0x80|byte(OpClose), []byte{0x03, 0xE8, 0xFF}, false), StatusInvalidPayload, false},
		{"a message over the limit", frame(0x80|byte(OpText), make([]byte, 2<<10), false), StatusMessageTooBig, true},
		{"fragments over the limit", append(frame(byte(OpText), make([]byte, 800), false), frame(0x80|byte(OpContinuation), make([]byte, 800), false)...), StatusMessageTooBig, true},
	} {
		t.Run(tc.what, func(t *testing.T) {
			s := newServer(t)
			r := s.rawDial(t, nil)
			c := s.accepted(t)
			readErr := make(chan error, 1)
			go func() {
				for {
					if _, _, err := c.ReadMessage(); err != nil {
						readErr <- err
						return
					}
				}
			}()
			r.send(t, tc.frame)
			reason := r.wantClose(t, tc.code)
			if reason == "" {
				t.Error("the close frame gives no reason")
			}
			if tc.code == StatusMessageTooBig && !strings.Contains(reason, "1024 bytes") {
				t.Errorf("reason %q does not give the limit", reason)
			}
			if tc.drains {
				r.send(t, frame(0x80|byte(OpText), []byte("in flight"), false), frame(0x80|byte(OpClose), []byte{0x03, 0xE8}, false))
			}
			select {
			case err := <-readErr:
				if CloseStatus(err) != int(tc.code) {
					t.Fatalf("the reader got %v, want status %d", err, tc.code)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("the reader did not end")
			}
			// The server closed its side: cleanly when it read all the
			// client sent.
			_ = r.nc.SetReadDeadline(time.Now().Add(3 * time.Second))
			if _, err := io.Copy(io.Discard, r.br); tc.drains && err != nil {
				t.Fatalf("the connection was not closed cleanly: %v", err)
			}
		})
	}
}

// A message past the limit and what is read and dropped of it: the server
// does not read the rest, and closes at once after its close frame.
func TestFarOverTheLimitClosesAtOnce(t *testing.T) {
	s := newServer(t)
	r := s.rawDial(t, nil)
	c := s.accepted(t)
	readErr := make(chan error, 1)
	go func() { _, _, err := c.ReadMessage(); readErr <- err }()
	big := frame(0x80|byte(OpText), make([]byte, 64<<10), false)
	r.send(t, big[:20]) // a header that announces 64 KiB
	if reason := r.wantClose(t, StatusMessageTooBig); !strings.Contains(reason, "1024 bytes") {
		t.Errorf("reason %q does not give the limit", reason)
	}
	select {
	case err := <-readErr:
		if CloseStatus(err) != int(StatusMessageTooBig) {
			t.Fatalf("the reader got %v", err)
		}
	case <-time.After(3 * time.Second): // well under closeTimeout: it did not wait
		t.Fatal("the reader did not end")
	}
}

func TestHandshakeRefusals(t *testing.T) {
	s := newServer(t)
	good := func() *http.Request {
		r, _ := http.NewRequest(http.MethodGet, s.URL, nil)
		r.Header.Set("Connection", "keep-alive, Upgrade")
		r.Header.Set("Upgrade", "websocket")
		r.Header.Set("Sec-WebSocket-Version", "13")
		r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		return r
	}
	for _, tc := range []struct {
		what   string
		change func(*http.Request)
		status int
		says   string
	}{
		{"a POST", func(r *http.Request) { r.Method = http.MethodPost }, http.StatusMethodNotAllowed, "GET"},
		{"no Upgrade header", func(r *http.Request) { r.Header.Del("Upgrade") }, http.StatusUpgradeRequired, "Upgrade: websocket"},
		{"version 8", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Version", "8") }, http.StatusBadRequest, "only 13"},
		{"no key", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Key") }, http.StatusBadRequest, "Sec-WebSocket-Key"},
		{"a short key", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "c2hvcnQ=") }, http.StatusBadRequest, "16 bytes"},
		{"another origin", func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }, http.StatusForbidden, "evil.example"},
		{"an origin without host", func(r *http.Request) { r.Header.Set("Origin", "null") }, http.StatusForbidden, "not a URL with a host"},
	} {
		r := good()
		tc.change(r)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatalf("%s: %v", tc.what, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: %d %q, want %d saying %q", tc.what, resp.StatusCode, body, tc.status, tc.says)
		}
	}
	// The same origin is let in.
	r := good()
	r.Header.Set("Origin", s.URL)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("same origin: %d", resp.StatusCode)
	}
	s.accepted(t)
}

func ExampleCloseStatus() {
	err := fmt.Errorf("read: %w", &CloseError{Code: StatusGoingAway})
	fmt.Println(CloseStatus(err), CloseStatus(io.EOF))
	// Output: 1001 -1
}
