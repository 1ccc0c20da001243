package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"
)

// client is a scripted LSP client: it talks to Serve over pipes, as an
// editor does over the server's stdin and stdout.
type client struct {
	t      *testing.T
	w      *writer
	in     chan message
	done   chan error
	nextID int
	// pending holds notifications read while waiting for a response.
	pending []message
}

func startClient(t *testing.T, opts Options) *client {
	t.Helper()
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	c := &client{t: t, w: &writer{w: fromClient}, in: make(chan message, 64), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		c.done <- Serve(ctx, toServer, fromServer, opts)
		fromServer.Close()
	}()
	go func() {
		r := newReader(toClient)
		for {
			body, err := r.read()
			if err != nil {
				close(c.in)
				return
			}
			var m message
			if err := json.Unmarshal(body, &m); err != nil {
				panic(fmt.Sprintf("server wrote bad JSON %q: %v", body, err))
			}
			c.in <- m
		}
	}()
	t.Cleanup(func() {
		cancel()
		fromClient.Close()
		toClient.Close()
	})
	return c
}

func (c *client) send(m *message) {
	c.t.Helper()
	if err := c.w.write(m); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	raw, _ := json.Marshal(params)
	c.send(&message{Method: method, Params: raw})
}

// call sends a request and returns its result (decoded into out) or error.
func (c *client) call(method string, params, out any) *rpcError {
	c.t.Helper()
	c.nextID++
	id := json.RawMessage(fmt.Sprint(c.nextID))
	raw, _ := json.Marshal(params)
	c.send(&message{ID: &id, Method: method, Params: raw})
	for {
		m := c.receive()
		if m.ID == nil {
			c.pending = append(c.pending, m)
			continue
		}
		if string(*m.ID) != string(id) {
			c.t.Fatalf("answer to %s for id %s", method, *m.ID)
		}
		if m.Error != nil {
			return m.Error
		}
		if out != nil {
			data, _ := json.Marshal(m.Result)
			if err := json.Unmarshal(data, out); err != nil {
				c.t.Fatalf("%s result %s: %v", method, data, err)
			}
		}
		return nil
	}
}

func (c *client) receive() message {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatal("the server closed its output")
		}
		return m
	case <-time.After(10 * time.Second):
		c.t.Fatal("no message from the server")
	}
	panic("unreachable")
}

// diagnostics waits for the next diagnostics published for uri.
func (c *client) diagnostics(uri string) []diagnostic {
	c.t.Helper()
	for {
		var m message
		if len(c.pending) > 0 {
			m, c.pending = c.pending[0], c.pending[1:]
		} else {
			m = c.receive()
		}
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p publishDiagnostics
		if err := json.Unmarshal(m.Params, &p); err != nil {
			c.t.Fatal(err)
		}
		if p.URI == uri {
			return p.Diagnostics
		}
	}
}
