package switchboard

import (
	"encoding/json"
	"time"
)

// Direction says which way a message went, in the CSML engine's words.
type Direction string

// The two directions of a message.
const (
	DirectionSend    Direction = "SEND"    // to the end user
	DirectionReceive Direction = "RECEIVE" // from the end user
)

// SenderKind says who wrote a message.
type SenderKind string

// Who can write a message.
const (
	SenderUser   SenderKind = "user"
	SenderBot    SenderKind = "bot"
	SenderAgent  SenderKind = "agent"
	SenderSystem SenderKind = "system" // switchboard itself: connecting and end messages
)

// Sender is the author of a message; Name is the agent's display name.
type Sender struct {
	Kind SenderKind `json:"kind"`
	Name string     `json:"name,omitempty"`
}

// Payload is a message body in the CSML shape: {"content_type", "content"}.
type Payload struct {
	ContentType string          `json:"content_type"`
	Content     json.RawMessage `json:"content"`
}

// Message is one entry of a client's history. ID grows with every stored message
// of the whole store, so "every message after N" resumes a stream exactly.
type Message struct {
	ID               int64     `json:"id"`
	Client           ClientKey `json:"client"`
	ConversationID   string    `json:"conversation_id,omitempty"`
	SessionID        string    `json:"session_id,omitempty"`
	Direction        Direction `json:"direction"`
	Sender           Sender    `json:"sender"`
	Payload          Payload   `json:"payload"`
	InteractionOrder int       `json:"interaction_order"`
	// RequestID is the id of the incoming request that produced the message, so a
	// retried request finds its answer instead of running twice.
	RequestID string    `json:"request_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}
