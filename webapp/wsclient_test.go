package webapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard"
)

// frame is any frame from the server.
type frame struct {
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	Code      string          `json:"code"`
	Duplicate bool            `json:"duplicate"`
	Raw       json.RawMessage `json:"message"` // a Message, or an error's text
	Livechat  *struct {
		State       string `json:"state"`
		Claimed     bool   `json:"claimed"`
		AgentName   string `json:"agent_name"`
		AgentTyping bool   `json:"agent_typing"`
		// QueuePosition is the waiting user's place in the queue.
		QueuePosition int `json:"queue_position"`
	} `json:"livechat"`
}

// msg decodes the message of a "message" frame.
func (f frame) msg(t *testing.T) switchboard.Message {
	t.Helper()
	var m switchboard.Message
	if f.Type != "message" || json.Unmarshal(f.Raw, &m) != nil {
		t.Fatalf("want a message frame, got %s %s", f.Type, f.Raw)
	}
	return m
}

// text is the message of an "error" frame.
func (f frame) text() string {
	var s string
	_ = json.Unmarshal(f.Raw, &s)
	return s
}

// wsClient is a test's side of a WebSocket.
type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
}

// wsURL is the WebSocket URL of a visitor.
func (f *fixture) wsURL(channel, userID, token string, after int64) string {
	q := url.Values{"user_id": {userID}, "token": {token}, "after": {strconv.FormatInt(after, 10)}}
	return "ws" + strings.TrimPrefix(f.server.URL, "http") + "/v1/webapp/" + channel + "/ws?" + q.Encode()
}

// dialURL opens a WebSocket, returning the HTTP response when it is refused.
func dialURL(t *testing.T, u string) (*wsClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return nil, resp, err
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	return &wsClient{t: t, ws: ws}, resp, nil
}

// dial opens the WebSocket of a visitor and reads up to "ready", returning the
// frames before it.
func (f *fixture) dial(t *testing.T, userID, token string, after int64) (*wsClient, []frame) {
	t.Helper()
	c, _, err := dialURL(t, f.wsURL(channelID, userID, token, after))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c, c.until("ready", "")
}

// next reads one frame within a few seconds.
func (c *wsClient) next() frame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	return f
}

func (c *wsClient) read() (frame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := c.ws.Read(ctx)
	if err != nil {
		return frame{}, err
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		c.t.Fatalf("frame is not JSON: %s", data)
	}
	return f, nil
}

// until reads frames up to the first of the given type (and id, when not
// empty) and returns the frames before it.
func (c *wsClient) until(typ, id string) []frame {
	c.t.Helper()
	before, _ := c.await(typ, id)
	return before
}

// await reads frames up to the first of the given type (and id, when not
// empty) and returns the frames before it and that frame.
func (c *wsClient) await(typ, id string) ([]frame, frame) {
	c.t.Helper()
	var before []frame
	for {
		f := c.next()
		if f.Type == typ && (id == "" || f.ID == id) {
			return before, f
		}
		before = append(before, f)
	}
}

// sendRaw writes one text frame as it is.
func (c *wsClient) sendRaw(data string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(data)); err != nil {
		c.t.Fatalf("write frame: %v", err)
	}
}

// send writes a frame as JSON.
func (c *wsClient) send(v any) {
	c.t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(string(data))
}

// event sends an event frame and returns its id.
func (c *wsClient) event(id, contentType string, content any) string {
	c.t.Helper()
	raw, _ := json.Marshal(content)
	c.send(map[string]any{"type": "event", "id": id, "payload": map[string]any{"content_type": contentType, "content": json.RawMessage(raw)}})
	return id
}

// text sends a text event and returns the messages that came before its ack.
func (c *wsClient) text(id, text string) []switchboard.Message {
	c.t.Helper()
	c.event(id, "text", map[string]string{"text": text})
	return messagesOf(c.t, c.until("ack", id))
}

// messagesOf keeps the messages among frames, failing on an error frame.
func messagesOf(t *testing.T, frames []frame) []switchboard.Message {
	t.Helper()
	var out []switchboard.Message
	for _, f := range frames {
		switch f.Type {
		case "message":
			out = append(out, f.msg(t))
		case "error":
			t.Fatalf("unexpected error frame: %s %s", f.Code, f.text())
		}
	}
	return out
}

// texts are the texts of the bot's messages among msgs.
func texts(msgs []switchboard.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Direction == switchboard.DirectionSend && m.Payload.ContentType == "text" {
			out = append(out, textOf(m))
		}
	}
	return out
}
