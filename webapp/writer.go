package webapp

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard"
)

// write is the connection's only writer of data frames, started when there
// is something to write and ending when nothing is left. Its first run
// sends the history after ?after, the livechat state and "ready"; then, on
// every hint, the messages stored since and the state if it changed; and the
// answers of the reader and the worker in between. A hint is only a
// wake-up: what is sent comes from the store, by message id.
func (c *conn) write(ctx context.Context) {
	fail := func(err error) {
		if ctx.Err() == nil {
			c.fail(err)
		}
	}
	if !c.live {
		if err := c.deliver(ctx); err != nil {
			fail(err)
			return
		}
		c.live = true
		if err := c.ws.WriteText(encode(plainFrame{Type: typeReady})); err != nil {
			fail(err)
			return
		}
	}
	for {
		c.mu.Lock()
		hinted, queued := c.hinted, len(c.outq) > 0
		var o outbound
		if queued {
			o = c.outq[0]
			c.outq = c.outq[1:]
			if len(c.outq) == 0 {
				c.outq = nil // an idle page keeps no queue
			}
		}
		if !hinted && !queued {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.hinted = false
		c.mu.Unlock()
		var err error
		if hinted || o.flush {
			err = c.deliver(ctx)
		}
		if err == nil && queued {
			err = c.ws.WriteText(o.data)
		}
		if err != nil {
			fail(err) // the writer stays marked running: nothing more is written
			return
		}
	}
}

// fail ends the connection after a write or store error; the page reconnects
// and resumes from the last message it got.
func (c *conn) fail(err error) {
	if c.h.base.Err() == nil {
		c.log().Info("webapp: connection ended", "err", err)
	}
	c.end()
}

// deliver sends every message stored after the last one sent, then the
// livechat state if it changed.
func (c *conn) deliver(ctx context.Context) error {
	for {
		var msgs []switchboard.Message
		var session *switchboard.Session
		err := c.h.store.View(ctx, func(tx switchboard.Tx) error {
			var err error
			if msgs, err = tx.MessagesAfter(ctx, c.key, c.last, historyPage); err != nil {
				return fmt.Errorf("read messages: %w", err)
			}
			if len(msgs) < historyPage {
				if session, err = tx.FindLiveSession(ctx, c.key); err != nil {
					return fmt.Errorf("read livechat session: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range msgs {
			if err := c.ws.WriteText(c.messageFrame(&msgs[i])); err != nil {
				return err
			}
			c.last = msgs[i].ID
			if c.live && c.h.pushed != nil {
				c.h.pushed(&msgs[i])
			}
		}
		if len(msgs) < historyPage {
			return c.writeState(ctx, session)
		}
	}
}

// messageFrame encodes a stored message. Content that is not valid JSON (which
// the engine never stores) goes as null rather than stopping the stream.
func (c *conn) messageFrame(m *switchboard.Message) []byte {
	data, err := json.Marshal(messageFrame{Type: typeMessage, Message: m})
	if err != nil {
		c.log().Error("webapp: encode message", "id", m.ID, "err", err)
		m.Payload.Content = nil
		data = encode(messageFrame{Type: typeMessage, Message: m})
	}
	return data
}

// writeState sends the livechat state when it is the first or it changed.
func (c *conn) writeState(ctx context.Context, s *switchboard.Session) error {
	var now liveState
	if s != nil && s.Live() {
		// An agent took the session: claimed it, or answered (a platform may
		// name neither the agent nor its id).
		taken := s.AgentID != "" || s.AgentName != "" || s.FirstReplyAt != nil
		now = liveState{State: s.State, Claimed: taken, AgentName: s.AgentName,
			AgentTyping: c.h.engine.AgentIsTyping(c.key)}
		if !taken {
			now.QueuePosition, now.WaitSeconds = s.QueuePosition, int64(s.QueueWait/time.Second)
		}
	}
	if c.sent && now == c.state {
		return nil
	}
	f := stateFrame{Type: typeState}
	if now.State != "" {
		f.Livechat = &now
	}
	if err := c.ws.WriteText(encode(f)); err != nil {
		return err
	}
	c.state, c.sent = now, true
	return nil
}
