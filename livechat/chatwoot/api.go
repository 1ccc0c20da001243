package chatwoot

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The Chatwoot application API's objects, as far as switchboard writes and
// reads them (https://developers.chatwoot.com/api-reference). The REST API
// and the webhooks spell some fields differently (message_type is a number
// in one and a word in the other); the types here read both.

// Profile is the user an access token belongs to.
type Profile struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Email     string       `json:"email"`
	AccountID int64        `json:"account_id"`
	Accounts  []AccountRef `json:"accounts"`
}

// AccountRef is one account of a user, with the user's role in it.
type AccountRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Role is administrator or agent.
	Role string `json:"role"`
}

// Inbox is an inbox; switchboard's is an API channel inbox.
type Inbox struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ChannelType string `json:"channel_type"`
	WebhookURL  string `json:"webhook_url"`
	// Secret signs the inbox's webhook calls; only administrators read it,
	// and only versions with signed API inbox webhooks have it.
	Secret string `json:"secret"`
}

// Contact is a Chatwoot contact.
type Contact struct {
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	Email                string         `json:"email"`
	PhoneNumber          string         `json:"phone_number"`
	Identifier           string         `json:"identifier"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
}

// Conversation is a conversation; its ID is the display id, per account,
// that every path and webhook uses.
type Conversation struct {
	ID                   int64          `json:"id"`
	InboxID              int64          `json:"inbox_id"`
	Status               string         `json:"status"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	// Messages is the last message, or the unread ones, oldest first.
	Messages     []Message     `json:"messages"`
	ContactInbox *ContactInbox `json:"contact_inbox"`
	// UUID names the conversation in its public links (the survey's).
	UUID string `json:"uuid"`
	// Meta says who the conversation is assigned to: an agent taking it
	// is the session's claim.
	Meta ConversationMeta `json:"meta"`
}

// ContactInbox joins a contact to an inbox; its source_id is the routing
// key (switchboard's session id).
type ContactInbox struct {
	SourceID string `json:"source_id"`
}

// Message is a conversation message: the contact's (incoming), an agent's
// or a bot's (outgoing), a private note, an activity or a template.
type Message struct {
	ID          int64       `json:"id"`
	Content     string      `json:"content"`
	ContentType string      `json:"content_type"`
	MessageType MessageType `json:"message_type"`
	Private     bool        `json:"private"`
	// Status is sent, delivered, read or failed (a webhook Chatwoot could
	// not deliver).
	Status string `json:"status"`
	// SourceID is switchboard's reference on what it posted.
	SourceID    string       `json:"source_id"`
	Sender      *Sender      `json:"sender"`
	SenderType  string       `json:"sender_type"`
	Attachments []Attachment `json:"attachments"`
	// CreatedAt is when the message was written.
	CreatedAt Time `json:"created_at"`
}

// Time is a Chatwoot timestamp: unix seconds in the REST API's messages,
// ISO 8601 in webhooks' (Message#webhook_data). What reads as neither is
// the zero time: a message's date only decides late delivery, never
// whether it is read.
type Time time.Time

// UnmarshalJSON reads either form.
func (t *Time) UnmarshalJSON(b []byte) error {
	var secs float64
	if err := json.Unmarshal(b, &secs); err == nil {
		whole := math.Floor(secs)
		*t = Time(time.Unix(int64(whole), int64((secs-whole)*1e9)).UTC())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
			*t = Time(v)
			return nil
		}
	}
	*t = Time{}
	return nil
}

// Sender is who wrote a message. Type is user (an agent), contact,
// agent_bot…; the REST API also says it in the message's sender_type.
type Sender struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	AvailableName string `json:"available_name"`
	Type          string `json:"type"`
}

// Attachment is a file on a message.
type Attachment struct {
	ID       int64  `json:"id"`
	FileType string `json:"file_type"`
	DataURL  string `json:"data_url"`
}

// MessageType is incoming, outgoing, activity or template.
type MessageType string

// Message types.
const (
	Incoming MessageType = "incoming"
	Outgoing MessageType = "outgoing"
	Activity MessageType = "activity"
	Template MessageType = "template"
)

// messageTypes are the REST API's numbers for the types.
var messageTypes = []MessageType{Incoming, Outgoing, Activity, Template}

// UnmarshalJSON reads the REST API's number or the webhooks' word. A type
// a newer Chatwoot adds reads as its number, which nothing relays.
func (t *MessageType) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*t = MessageType(strconv.Itoa(n))
		if n >= 0 && n < len(messageTypes) {
			*t = messageTypes[n]
		}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("chatwoot: message_type %s is neither a number nor a word", b)
	}
	*t = MessageType(strings.ToLower(s))
	return nil
}

// senderType is who wrote a message, in the webhooks' lower-case words.
func (m Message) senderType() string {
	if m.Sender != nil && m.Sender.Type != "" {
		return strings.ToLower(m.Sender.Type)
	}
	switch m.SenderType {
	case "User":
		return "user"
	case "Contact":
		return "contact"
	case "AgentBot":
		return "agent_bot"
	}
	return strings.ToLower(m.SenderType)
}

// list is the envelope of the lists the API answers with.
type list[T any] struct {
	Payload []T `json:"payload"`
}
