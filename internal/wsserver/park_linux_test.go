package wsserver

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// parkedReader reads c the way a server should: parked from the start, read
// on a new goroutine when woken, until nothing is waiting, then parked again.
// Each message and the final error go to the channels.
func parkedReader(c *Conn, msgs chan<- string, ended chan<- error) {
	var read func()
	wake := func() { go read() }
	read = func() {
		for {
			op, data, err := c.ReadMessage()
			if err != nil {
				ended <- err
				return
			}
			if op == OpText {
				msgs <- string(data)
			}
			if c.Park(wake) {
				return
			}
		}
	}
	if !c.Park(wake) {
		go read()
	}
}

// settledGoroutines is the goroutine count once it stops moving.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		if m := runtime.NumGoroutine(); m != n {
			n = m
			continue
		}
		return n
	}
	return n
}

func TestParkedConnectionsKeepNoGoroutine(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	// A first connection starts the poller.
	ws0, c0 := s.dial(t)
	msgs, ended := make(chan string, 256), make(chan error, 256)
	parkedReader(c0, msgs, ended)
	_ = ws0.Write(ctx, websocket.MessageText, []byte("warm"))
	<-msgs
	// The clients' own goroutines are counted before their servers read.
	const n = 100
	clients := make([]*websocket.Conn, n)
	servers := make([]*Conn, n)
	for i := range n {
		clients[i], servers[i] = s.dial(t)
	}
	before := settledGoroutines()
	for _, c := range servers {
		parkedReader(c, msgs, ended)
	}
	if got := settledGoroutines() - before; got > 2 {
		t.Fatalf("%d parked connections run %d goroutines, want none", n, got)
	}
	// Each wakes when its client writes, and parks again.
	for round := range 2 {
		for i, ws := range clients {
			if err := ws.Write(ctx, websocket.MessageText, []byte{byte('a' + round)}); err != nil {
				t.Fatalf("client %d: %v", i, err)
			}
		}
		for range n {
			select {
			case m := <-msgs:
				if m != string(rune('a'+round)) {
					t.Fatalf("round %d got %q", round, m)
				}
			case err := <-ended:
				t.Fatalf("a connection ended: %v", err)
			case <-time.After(5 * time.Second):
				t.Fatalf("round %d: a parked connection was not woken", round)
			}
		}
	}
	if got := settledGoroutines() - before; got > 2 {
		t.Fatalf("after waking, %d connections run %d goroutines, want none", n, got)
	}
}

func TestAParkedConnectionLearnsItsEnd(t *testing.T) {
	s := newServer(t)
	ws, c := s.dial(t)
	msgs, ended := make(chan string, 1), make(chan error, 1)
	parkedReader(c, msgs, ended)
	time.Sleep(50 * time.Millisecond) // parked
	// Closed by this side: the reader is woken and ends.
	_ = c.CloseNow()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("CloseNow did not wake the parked reader")
	}
	// Gone on the other side, without a close frame.
	ws, c = s.dial(t)
	parkedReader(c, msgs, ended)
	time.Sleep(50 * time.Millisecond)
	_ = ws.CloseNow()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the client's hang-up did not wake the parked reader")
	}
}

func TestParkRefusesWhileDataWaits(t *testing.T) {
	s := newServer(t)
	r := s.rawDial(t, nil)
	c := s.accepted(t)
	r.send(t, frame(0x80|byte(OpText), []byte("one"), false), frame(0x80|byte(OpText), []byte("two"), false))
	if _, got := readData(t, c); got != "one" {
		t.Fatalf("got %q", got)
	}
	if c.Park(func() { t.Error("woken, though it did not park") }) {
		t.Fatal("parked with a message read and waiting")
	}
	if _, got := readData(t, c); got != "two" {
		t.Fatalf("got %q", got)
	}
}
