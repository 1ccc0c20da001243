package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchboard"
)

// webClient is a user on a chat page, speaking its WebSocket protocol
// (docs/webapp.md) as the page does: when the socket drops it reconnects at
// once, resuming after the last message it has, and it sends an event again
// with the same id until it is acknowledged, so the server runs it once.
type webClient struct {
	base, channel string
	user          *userLog
	token         string
	seq           int

	mu sync.Mutex
	// conn is the socket, ready; gone is closed when it ends.
	conn   *websocket.Conn
	gone   chan struct{}
	last   int64 // the id of the last message received
	acks   map[string]chan error
	cancel context.CancelFunc
}

// frame is a frame from the server; Message is decoded for message frames
// only (an error frame's "message" is a string).
type frame struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Message json.RawMessage `json:"message"`
}

// newWebClient makes a visitor of the channel (switchboard gives it its
// user id), connects it, and keeps it connected until close.
func newWebClient(ctx context.Context, base, channel string, u *userLog) (*webClient, error) {
	var id struct {
		UserID string `json:"user_id"`
		Token  string `json:"token"`
	}
	err := retry(ctx, u.ledger, "webapp: new visitor", func() (bool, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/webapp/"+channel+"/visitors", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return true, err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return res.StatusCode >= 500, fmt.Errorf("new visitor: %s", res.Status)
		}
		return false, json.NewDecoder(res.Body).Decode(&id)
	})
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	u.UserID = id.UserID
	u.mu.Unlock()
	c := &webClient{base: base, channel: channel, user: u, token: id.Token, acks: map[string]chan error{}}
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	kctx, cancel := context.WithCancel(ctx)
	c.cancel = cancel
	go c.keep(kctx)
	return c, nil
}

// wsURL is the socket's address, resuming after message after.
func (c *webClient) wsURL(after int64) string {
	return strings.Replace(c.base, "http", "ws", 1) + "/v1/webapp/" + c.channel + "/ws?user_id=" + url.QueryEscape(c.user.UserID) +
		"&token=" + url.QueryEscape(c.token) + "&after=" + strconv.FormatInt(after, 10)
}

// keep reconnects whenever the socket ends, until ctx ends.
func (c *webClient) keep(ctx context.Context) {
	for {
		c.mu.Lock()
		gone := c.gone
		c.mu.Unlock()
		select {
		case <-gone:
		case <-ctx.Done():
			return
		}
		if ctx.Err() != nil {
			return
		}
		c.user.ledger.error("webapp: socket lost, reconnected", nil)
		if err := c.connect(ctx); err != nil {
			c.user.ledger.error("webapp: could not reconnect", err)
			return
		}
	}
}

// connect opens the socket after the last message received, trying again
// while the balancer has no instance to give, and waits for its ready
// frame.
func (c *webClient) connect(ctx context.Context) error {
	return retry(ctx, c.user.ledger, "webapp: connect", func() (bool, error) {
		c.mu.Lock()
		after := c.last
		c.mu.Unlock()
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		conn, _, err := websocket.Dial(dctx, c.wsURL(after), nil)
		if err != nil {
			return true, err
		}
		conn.SetReadLimit(1 << 20)
		ready, gone := make(chan struct{}), make(chan struct{})
		go c.read(conn, ready, gone)
		select {
		case <-ready:
			c.mu.Lock()
			c.conn, c.gone = conn, gone
			c.mu.Unlock()
			return false, nil
		case <-gone:
			return true, fmt.Errorf("the socket closed before its ready frame")
		case <-dctx.Done():
			conn.CloseNow()
			return true, fmt.Errorf("no ready frame")
		}
	})
}

// read dispatches the frames of one connection until it ends.
func (c *webClient) read(conn *websocket.Conn, ready, gone chan struct{}) {
	defer close(gone)
	for {
		_, data, err := conn.Read(context.Background())
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		switch f.Type {
		case "ready":
			close(ready)
		case "message":
			var m switchboard.Message
			if json.Unmarshal(f.Message, &m) != nil {
				continue
			}
			c.mu.Lock()
			c.last = max(c.last, m.ID)
			c.mu.Unlock()
			c.user.receive(m, "socket")
		case "ack", "error":
			c.mu.Lock()
			ch := c.acks[f.ID]
			delete(c.acks, f.ID)
			c.mu.Unlock()
			if ch != nil {
				var err error
				if f.Type == "error" {
					err = fmt.Errorf("event refused: %s", data)
				}
				ch <- err
			}
		}
	}
}

// send sends one event and waits for its acknowledgement, which comes after
// the messages it produced (the bot's reply). When the socket drops before
// the answer, it waits for the next socket and sends the event again with
// the same id.
func (c *webClient) send(ctx context.Context, p switchboard.Payload) error {
	c.seq++
	id := fmt.Sprintf("%s-e%d", c.user.Name, c.seq)
	raw, _ := json.Marshal(map[string]any{"type": "event", "id": id, "payload": p})
	deadline := time.Now().Add(settleLimit)
	var old chan struct{}
	for {
		conn, gone, err := c.next(ctx, old, deadline)
		if err != nil {
			return fmt.Errorf("event %s: %w", id, err)
		}
		done := make(chan error, 1)
		c.mu.Lock()
		c.acks[id] = done
		c.mu.Unlock()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = conn.Write(wctx, websocket.MessageText, raw)
		cancel()
		if err == nil {
			select {
			case err := <-done:
				return err
			case <-gone:
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Until(deadline)):
				return fmt.Errorf("event %s: no answer after %s", id, settleLimit)
			}
		}
		conn.CloseNow()
		c.user.ledger.error("webapp: event sent again on a new socket", err)
		old = gone
	}
}

// event sends on the chat page; the session is the one of the START it
// saw echoed with the messages the event produced.
func (c *webClient) event(ctx context.Context, p switchboard.Payload) (string, error) {
	err := c.send(ctx, p)
	return c.user.lastStart(), err
}

// next waits for a ready socket other than the one that ended with old.
func (c *webClient) next(ctx context.Context, old chan struct{}, deadline time.Time) (*websocket.Conn, chan struct{}, error) {
	for {
		c.mu.Lock()
		conn, gone := c.conn, c.gone
		c.mu.Unlock()
		if gone != old {
			return conn, gone, nil
		}
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("no socket after %s", settleLimit)
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// close stops reconnecting and closes the socket.
func (c *webClient) close() {
	c.cancel()
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	conn.Close(websocket.StatusNormalClosure, "")
}

// history reads the user's whole history from the store: a fresh socket
// resuming after message 0 sends every message, then its ready frame.
func (c *webClient) history(ctx context.Context) ([]switchboard.Message, error) {
	var out []switchboard.Message
	err := retry(ctx, c.user.ledger, "webapp: history", func() (bool, error) {
		out = nil
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		conn, _, err := websocket.Dial(dctx, c.wsURL(0), nil)
		if err != nil {
			return true, err
		}
		defer conn.CloseNow()
		conn.SetReadLimit(1 << 20)
		for {
			_, data, err := conn.Read(dctx)
			if err != nil {
				return true, err
			}
			var f frame
			if json.Unmarshal(data, &f) != nil {
				continue
			}
			switch f.Type {
			case "ready":
				return false, nil
			case "message":
				var m switchboard.Message
				if err := json.Unmarshal(f.Message, &m); err != nil {
					return false, fmt.Errorf("history message: %w", err)
				}
				out = append(out, m)
			}
		}
	})
	return out, err
}
