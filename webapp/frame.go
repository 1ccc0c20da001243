package webapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/wsserver"
)

// Frame types of the protocol (see the package documentation).
const (
	typeEvent    = "event"
	typeMetadata = "metadata"
	typePing     = "ping"
	typeTyping   = "typing"
	typeAck      = "ack"
	typeError    = "error"
	typePong     = "pong"
	typeMessage  = "message"
	typeState    = "state"
	typeReady    = "ready"
)

// MaxTextChars is the longest text a page may send, in characters (Unicode
// code points): as long as a desk agent's reply.
const MaxTextChars = 4000

// inFrame is a frame from a page.
type inFrame struct {
	Type     string               `json:"type"`
	ID       string               `json:"id,omitempty"`
	Payload  *switchboard.Payload `json:"payload,omitempty"`
	Metadata json.RawMessage      `json:"metadata,omitempty"`
	Typing   *bool                `json:"typing,omitempty"`
}

// decodeFrame parses a page's frame and checks that it has what its type
// needs. When it fails, the frame still holds the id if one could be read, so
// the error frame can name the request it refuses.
func decodeFrame(typ wsserver.Opcode, data []byte) (inFrame, error) {
	var f inFrame
	if typ != wsserver.OpText {
		return f, switchboard.Errorf(switchboard.EINVALID, "binary frames are not accepted: send JSON text frames")
	}
	var probe struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(data, &probe) // best effort: only to name the request in an error
	f.ID = probe.ID
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '{' {
		return f, switchboard.Errorf(switchboard.EINVALID, "a frame must be a JSON object, such as {\"type\":\"ping\"}")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		f.ID = probe.ID
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return f, switchboard.Errorf(switchboard.EINVALID, "malformed JSON: the frame ends before the object does")
		}
		return f, httpx.DecodeError(err, 0)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, switchboard.Errorf(switchboard.EINVALID, "the frame has data after the JSON object: send one object per frame")
	}
	return f, f.check()
}

// check says what a decoded frame lacks.
func (f *inFrame) check() error {
	switch f.Type {
	case "":
		return switchboard.Errorf(switchboard.EINVALID, `"type" is missing: use "event", "metadata", "typing" or "ping"`)
	case typePing:
		return nil
	case typeTyping:
		if f.Typing == nil {
			return switchboard.Errorf(switchboard.EINVALID, `"typing" is missing: send {"type":"typing","typing":true} while writing, false to stop`)
		}
		return nil
	case typeEvent, typeMetadata:
	default:
		return switchboard.Errorf(switchboard.EINVALID, `unknown frame type %q: use "event", "metadata", "typing" or "ping"`, f.Type)
	}
	if f.ID == "" {
		return switchboard.Errorf(switchboard.EINVALID, `%q needs an "id": a new uuid, reused only to retry the same frame`, f.Type)
	}
	if err := switchboard.CheckRequestID(`"id"`, f.ID); err != nil {
		return err
	}
	if f.Type == typeMetadata {
		if len(f.Metadata) == 0 || f.Metadata[0] != '{' {
			return switchboard.Errorf(switchboard.EINVALID, `"metadata" must be a JSON object, such as {"firstname": "Ada"}`)
		}
		return nil
	}
	switch {
	case f.Payload == nil:
		return switchboard.Errorf(switchboard.EINVALID, `an event needs a "payload", such as {"content_type": "text", "content": {"text": "hi"}}`)
	case f.Payload.ContentType == "":
		return switchboard.Errorf(switchboard.EINVALID, `"payload.content_type" is missing`)
	case len(f.Payload.Content) == 0 || string(f.Payload.Content) == "null":
		return switchboard.Errorf(switchboard.EINVALID, `"payload.content" is missing`)
	}
	return checkTextLength(f.Payload)
}

// checkTextLength refuses a text message longer than MaxTextChars.
func checkTextLength(p *switchboard.Payload) error {
	if p.ContentType != "text" {
		return nil
	}
	var c struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(p.Content, &c) != nil {
		return nil // not this check's business: the engine says what is wrong
	}
	if n := utf8.RuneCountInString(c.Text); n > MaxTextChars {
		return switchboard.Errorf(switchboard.EINVALID, `"payload.content.text" is %d characters long: the limit is %d, shorten the message`, n, MaxTextChars)
	}
	return nil
}

// Frames to a page.
type (
	plainFrame struct {
		Type string `json:"type"`
	}
	ackFrame struct {
		Type      string `json:"type"`
		ID        string `json:"id"`
		Duplicate bool   `json:"duplicate,omitempty"`
	}
	errorFrame struct {
		Type    string           `json:"type"`
		ID      string           `json:"id,omitempty"`
		Code    switchboard.Code `json:"code"`
		Message string           `json:"message"`
	}
	messageFrame struct {
		Type    string               `json:"type"`
		Message *switchboard.Message `json:"message"`
	}
	stateFrame struct {
		Type     string     `json:"type"`
		Livechat *liveState `json:"livechat"`
	}
)

// liveState is the client's livechat session as a page shows it.
type liveState struct {
	State switchboard.SessionState `json:"state"`
	// Claimed is set once an agent took the session: claimed it on the desk,
	// or answered first on a platform. Until then the user is waiting.
	Claimed   bool   `json:"claimed,omitempty"`
	AgentName string `json:"agent_name"`
	// AgentTyping is set while the platform says an agent is typing.
	AgentTyping bool `json:"agent_typing,omitempty"`
	// QueuePosition (1 = next) and WaitSeconds (the estimated wait, 0 when
	// unknown) say where a waiting user stands.
	QueuePosition int   `json:"queue_position,omitempty"`
	WaitSeconds   int64 `json:"wait_seconds,omitempty"`
}

// encode marshals a frame of the types above, which always marshal.
func encode(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

// errorOf is the error frame of an application error; internal details stay
// in the logs.
func errorOf(id string, err error) []byte {
	return encode(errorFrame{Type: typeError, ID: id, Code: switchboard.ErrorCode(err), Message: switchboard.ErrorMessage(err)})
}
