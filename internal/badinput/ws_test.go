package badinput_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestChatPageSocketSurvivesMalformedFrames sends malformed and hostile
// frames on the chat page's WebSocket, on each store: each one is answered
// (an error frame that is not "internal", or an ack) within the deadline,
// the connection keeps serving, an oversized frame closes it with 1009
// (too big) rather than an error, and the page can connect again.
func TestChatPageSocketSurvivesMalformedFrames(t *testing.T) {
	event := func(id, payload string) string {
		return `{"type":"event","id":` + id + `,"payload":` + payload + `}`
	}
	text := `{"content_type":"text","content":{"text":"hi"}}`
	frames := []struct {
		what string
		typ  websocket.MessageType
		data string
	}{
		{"a binary frame", websocket.MessageBinary, `{"type":"ping"}`},
		{"an empty frame", websocket.MessageText, ""},
		{"an unfinished object", websocket.MessageText, "{"},
		{"an array", websocket.MessageText, "[]"},
		{"null", websocket.MessageText, "null"},
		{"deep nesting", websocket.MessageText, strings.Repeat("[", 20_000)},
		{"no type", websocket.MessageText, `{"id":"x"}`},
		{"an unknown type", websocket.MessageText, `{"type":"\u0000"}`},
		{"an event without id", websocket.MessageText, `{"type":"event","payload":` + text + `}`},
		{"NUL in an event id", websocket.MessageText, event(`"e\u0000"`, text)},
		{"a bidi override in an event id", websocket.MessageText, event(`"e\u202e1"`, text)},
		{"an event id of 10,000 characters", websocket.MessageText, event(`"`+strings.Repeat("e", 10_000)+`"`, text)},
		{"a numeric event id", websocket.MessageText, event(`1`, text)},
		{"invalid UTF-8", websocket.MessageText, "{\"type\":\"ping\",\"id\":\"\xff\"}"},
		{"NUL in a content type", websocket.MessageText, event(`"e2"`, `{"content_type":"\u0000","content":{}}`)},
		{"a content that is a string", websocket.MessageText, event(`"e3"`, `{"content_type":"text","content":"hi"}`)},
		{"a flow trigger to NUL", websocket.MessageText, event(`"e4"`, `{"content_type":"flow_trigger","content":{"flow_id":"\u0000"}}`)},
		{"a 60 KB text", websocket.MessageText, event(`"e5"`, `{"content_type":"text","content":{"text":"`+strings.Repeat("a", 60_000)+`"}}`)},
		{"metadata that is not an object", websocket.MessageText, `{"type":"metadata","id":"m1","metadata":"x"}`},
		{"metadata with NUL", websocket.MessageText, `{"type":"metadata","id":"m2","metadata":{"name":"a\u0000b"}}`},
		{"an unknown field", websocket.MessageText, `{"type":"ping","zzz":1}`},
		{"two objects", websocket.MessageText, `{"type":"ping"}{"type":"ping"}`},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := start(t, st.database(t))
			ws := s.dial(t)
			for _, f := range frames {
				time.Sleep(time.Second / 10) // under the page's rate of frames: each one is read
				ctx, cancel := context.WithTimeout(context.Background(), deadline)
				err := ws.Write(ctx, f.typ, []byte(f.data))
				cancel()
				if err != nil {
					t.Fatalf("%s: write: %v", f.what, err)
				}
				answer, err := readAnswer(ws)
				if err != nil {
					t.Fatalf("%s: no answer: %v", f.what, err)
				}
				if answer.Type == "error" && answer.Code == "internal" {
					t.Errorf("%s: an internal error: %+v", f.what, answer)
				}
			}
			// Still serving.
			time.Sleep(time.Second / 10)
			if err := ws.Write(context.Background(), websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
				t.Fatal(err)
			}
			if answer, err := readAnswer(ws); err != nil || answer.Type != "pong" {
				t.Errorf("a ping after the bad frames: %+v %v", answer, err)
			}
			// Too big: closed with 1009, and the page connects again.
			_ = ws.Write(context.Background(), websocket.MessageText, []byte(`{"type":"ping","x":"`+strings.Repeat("a", 200_000)+`"}`))
			if _, err := readAnswer(ws); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
				t.Errorf("an oversized frame: %v, want a close with 1009", err)
			}
			s.dial(t)
			s.healthy()
		})
	}
}

// wsFrame is what the suite reads of a server frame.
type wsFrame struct {
	Type string `json:"type"`
	Code string `json:"code"`
}

// readAnswer reads frames up to the answer of the last frame sent: an
// error, an ack or a pong (bot messages and states are skipped).
func readAnswer(ws *websocket.Conn) (wsFrame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return wsFrame{}, err
		}
		var f wsFrame
		if err := json.Unmarshal(data, &f); err != nil {
			return f, errors.New("a frame that is not JSON: " + cut(string(data)))
		}
		switch f.Type {
		case "error", "ack", "pong":
			return f, nil
		}
	}
}

// dial opens the chat page's WebSocket as a new visitor and reads up to
// "ready".
func (s *server) dial(t *testing.T) *websocket.Conn {
	t.Helper()
	var v struct {
		UserID string `json:"user_id"`
		Token  string `json:"token"`
	}
	s.mustJSON(s.request("POST", "/v1/webapp/"+s.webapp+"/visitors", ""), http.StatusCreated, &v)
	q := url.Values{"user_id": {v.UserID}, "token": {v.Token}}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.url, "http")+"/v1/webapp/"+s.webapp+"/ws?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("before ready: %v", err)
		}
		var f wsFrame
		_ = json.Unmarshal(data, &f)
		if f.Type == "ready" {
			return ws
		}
	}
}
