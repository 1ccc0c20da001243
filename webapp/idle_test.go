package webapp_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"testing"
	"time"

	"switchboard"
	"switchboard/webapp"
)

// An idle page keeps no goroutine: its socket is parked (on Linux, where
// the server runs) and a reader comes when the page sends something, like
// the writer, the worker and the heartbeat.
func TestAnIdlePageKeepsNoGoroutine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sockets are parked on Linux only; elsewhere an idle page keeps its reader")
	}
	f := newFixture(t, nil)
	const pages = 20
	settle := func() int { // the goroutine count once it stops moving
		n := runtime.NumGoroutine()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			m := runtime.NumGoroutine()
			if m == n {
				return n
			}
			n = m
		}
		return n
	}
	// A first page warms up what is started once (the store's pool, the
	// HTTP client's connections).
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	before := settle()
	for i := range pages {
		user, token := f.visitor(t)
		c, _ := f.dial(t, user, token, 0)
		start(t, c)
		c.text(fmt.Sprintf("e-%d", i), "bonjour") // a worker ran, and ended
	}
	if got := settle() - before; got > 2 {
		t.Fatalf("%d idle pages run %d goroutines, want none", pages, got)
	}
}

func TestEventsSentAtOnceRunOneAtATimeInOrder(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	c, _ := f.dial(t, user, token, 0)
	start(t, c)
	const n = 10
	for i := range n {
		c.event(fmt.Sprintf("e-%d", i), "text", map[string]string{"text": fmt.Sprint(i)})
	}
	// Each answer comes once, in order, and before its event's ack.
	said, acked := 0, 0
	for acked < n {
		switch fr := c.next(); fr.Type {
		case "message":
			if m := fr.msg(t); textOf(m) != "" && m.Direction == switchboard.DirectionSend {
				if want := fmt.Sprintf("You said: %d", said); textOf(m) != want {
					t.Fatalf("got %q, want %q", textOf(m), want)
				}
				said++
			}
		case "ack":
			if fr.ID != fmt.Sprintf("e-%d", acked) || said <= acked {
				t.Fatalf("ack of %s after %d answers, %d acks", fr.ID, said, acked)
			}
			acked++
		default:
			t.Fatalf("unexpected %+v", fr)
		}
	}
}

func TestHeartbeatDropsAPageThatDoesNotAnswer(t *testing.T) {
	f := newFixture(t, nil)
	// Pings every 100 ms; a pong may take a while on a loaded machine, and
	// the mute page must be dropped well before the test reads from it
	// (reading answers pings).
	webapp.SetHeartbeat(f.handler, 100*time.Millisecond, 500*time.Millisecond)
	// A page that reads answers the pings and stays.
	user, token := f.visitor(t)
	alive, _ := f.dial(t, user, token, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	readErr := make(chan error, 1)
	go func() {
		_, _, err := alive.ws.Read(ctx) // answers pings while it waits
		readErr <- err
	}()
	// A page that never reads again answers nothing.
	user, token = f.visitor(t)
	mute, _ := f.dial(t, user, token, 0)

	time.Sleep(1500 * time.Millisecond) // several pings
	select {
	case err := <-readErr:
		t.Fatalf("the page that answers was dropped: %v", err)
	default:
	}
	// The mute page's connection was closed by the server: reading now
	// gets what was sent (the close frame), then the end.
	rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer rcancel()
	for {
		_, _, err := mute.ws.Read(rctx)
		if err == nil {
			continue
		}
		if rctx.Err() != nil {
			t.Fatal("the page that does not answer pings is still connected")
		}
		break
	}
}

// net/http may have read what a page sent right after its handshake: the
// connection, which takes it over with buffers of its own, must read it
// first.
func TestBytesSentWithTheHandshakeAreRead(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	u, _ := url.Parse(f.server.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	q := url.Values{"user_id": {user}, "token": {token}}
	handshake := "GET /v1/webapp/" + channelID + "/ws?" + q.Encode() + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	// One write: the handshake and a ping frame, masked as a client's are.
	if _, err := conn.Write(append([]byte(handshake), clientFrame(`{"type":"ping"}`)...)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	for {
		data, err := serverFrame(r)
		if err != nil {
			t.Fatalf("no pong: %v", err)
		}
		var fr frame
		_ = json.Unmarshal(data, &fr)
		if fr.Type == "pong" {
			return
		}
	}
}

// clientFrame is a masked text frame (payload under 126 bytes).
func clientFrame(payload string) []byte {
	key := [4]byte{1, 2, 3, 4}
	out := append([]byte{0x81, 0x80 | byte(len(payload))}, key[:]...)
	for i := range len(payload) {
		out = append(out, payload[i]^key[i%4])
	}
	return out
}

// serverFrame reads one unmasked frame's payload.
func serverFrame(r *bufio.Reader) ([]byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if n > 1<<20 {
		return nil, fmt.Errorf("frame of %d bytes", n)
	}
	data := make([]byte, n)
	_, err := io.ReadFull(r, data)
	return data, err
}
