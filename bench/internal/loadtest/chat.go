package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchboard"
)

// Visitor is one end user on a chat page, speaking the page's WebSocket
// protocol (see docs/webapp.md).
type Visitor struct {
	UserID string
	conn   *websocket.Conn
	wmu    sync.Mutex
	seq    int
	// OnMessage is called from the reader for every stored message pushed.
	OnMessage func(m switchboard.Message)
	acks      sync.Map      // event id -> chan error
	done      chan struct{} // closed when the connection ends
}

// visitorClient asks for new visitors; it keeps enough idle connections for
// tools that open thousands of pages many at a time.
var visitorClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

// NewVisitor creates a visitor of a webapp channel and connects it; the
// history is read before it returns.
func NewVisitor(ctx context.Context, base, channel string, onMessage func(switchboard.Message)) (*Visitor, error) {
	resp, err := visitorClient.Post(base+"/v1/webapp/"+channel+"/visitors", "application/json", nil)
	if err != nil {
		return nil, fmt.Errorf("new visitor: %w", err)
	}
	defer resp.Body.Close()
	var id struct {
		UserID string `json:"user_id"`
		Token  string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&id); err != nil || resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("new visitor: %s %v", resp.Status, err)
	}
	ws := strings.Replace(base, "http", "ws", 1) + "/v1/webapp/" + channel + "/ws?user_id=" + url.QueryEscape(id.UserID) + "&token=" + url.QueryEscape(id.Token)
	conn, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", ws, err)
	}
	conn.SetReadLimit(1 << 20)
	v := &Visitor{UserID: id.UserID, conn: conn, OnMessage: onMessage, done: make(chan struct{})}
	ready := make(chan struct{})
	go v.read(ready)
	select {
	case <-ready:
		return v, nil
	case <-time.After(10 * time.Second):
		conn.CloseNow()
		return nil, fmt.Errorf("visitor %s: no ready frame", id.UserID)
	}
}

// read dispatches frames until the connection ends.
func (v *Visitor) read(ready chan struct{}) {
	defer close(v.done)
	for {
		_, data, err := v.conn.Read(context.Background())
		if err != nil {
			return
		}
		var f struct {
			Type    string          `json:"type"`
			ID      string          `json:"id"`
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		switch f.Type {
		case "ready":
			close(ready)
		case "message":
			var m switchboard.Message
			if v.OnMessage != nil && json.Unmarshal(f.Message, &m) == nil {
				v.OnMessage(m)
			}
		case "ack", "error":
			if ch, ok := v.acks.LoadAndDelete(f.ID); ok {
				var err error
				if f.Type == "error" {
					err = fmt.Errorf("event refused: %s", data)
				}
				ch.(chan error) <- err
			}
		}
	}
}

// Send sends an event and waits for its acknowledgement.
func (v *Visitor) Send(ctx context.Context, p switchboard.Payload) error {
	v.wmu.Lock()
	v.seq++
	id := fmt.Sprintf("%s-%d", v.UserID, v.seq)
	v.wmu.Unlock()
	done := make(chan error, 1)
	v.acks.Store(id, done)
	frame, _ := json.Marshal(map[string]any{"type": "event", "id": id, "payload": p})
	v.wmu.Lock()
	err := v.conn.Write(ctx, websocket.MessageText, frame)
	v.wmu.Unlock()
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the connection has ended.
func (v *Visitor) Done() <-chan struct{} { return v.done }

// Close closes the connection.
func (v *Visitor) Close() { v.conn.Close(websocket.StatusNormalClosure, "") }

// Text is a text payload.
func Text(s string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: raw}
}

// Button is a payload event (a button click).
func Button(payload string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"payload": payload})
	return switchboard.Payload{ContentType: "payload", Content: raw}
}

// TextOf returns the text of a text message, or "".
func TextOf(m switchboard.Message) string {
	var c struct {
		Text string `json:"text"`
	}
	if m.Payload.ContentType == "text" {
		_ = json.Unmarshal(m.Payload.Content, &c)
	}
	return c.Text
}

// postJSON posts a JSON body with the given headers and decodes the answer.
func postJSON(c *http.Client, url string, header http.Header, body, out any) error {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var e bytes.Buffer
		_, _ = e.ReadFrom(resp.Body)
		return fmt.Errorf("POST %s: %s %s", url, resp.Status, strings.TrimSpace(e.String()))
	}
	if out != nil {
		return decodeOK(resp, out)
	}
	return drain(resp)
}
