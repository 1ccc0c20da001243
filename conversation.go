package switchboard

import (
	"encoding/json"
	"time"
)

// ConversationStatus is the state of a CSML conversation.
type ConversationStatus string

// The conversation statuses of the CSML engine.
const (
	ConversationOpen   ConversationStatus = "OPEN"
	ConversationClosed ConversationStatus = "CLOSED"
)

// Conversation is the CSML conversation of a client: where its flow stands and,
// when the bot is waiting on a hold, the interpreter's saved position.
type Conversation struct {
	ID     string             `json:"id"`
	Client ClientKey          `json:"client"`
	FlowID string             `json:"flow_id"`
	StepID string             `json:"step_id"`
	Status ConversationStatus `json:"status"`
	// RunningBot is the bot that runs the conversation since a
	// `goto ... in bot` switched to it; empty means Client.BotID. Its flow,
	// step and hold are that bot's, and its memories are kept under its id.
	RunningBot string `json:"-"`
	// Hold is the interpreter's opaque saved position (csml.Hold as JSON), or nil.
	Hold json.RawMessage `json:"-"`
	// InteractionOrder counts the messages of the conversation.
	InteractionOrder int `json:"-"`
	// Version counts the saves of the conversation, so that two processors of
	// one client cannot overwrite each other (see ConversationStore).
	Version           int64     `json:"-"`
	LastInteractionAt time.Time `json:"last_interaction_at"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// Memory is one remembered value of a client, as JSON.
type Memory struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}
