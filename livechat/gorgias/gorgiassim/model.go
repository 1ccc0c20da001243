package gorgiassim

import (
	"encoding/json"
	"time"
)

// The objects the simulator keeps, in the JSON shapes Gorgias answers with.
// Fields Gorgias sends as null when unset are pointers, so that clients meet
// the same nulls as on a real account.

// User is a helpdesk user (an agent). Email and APIKey are the REST API
// credentials of a private app (HTTP Basic).
type User struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Firstname string `json:"firstname"`
	Lastname  string `json:"lastname"`
	Role      string `json:"role"`
	// APIKey is write-only: never in answers.
	APIKey string `json:"-"`
	// NoAPI makes the REST API answer 403 to this user (a role without
	// API access).
	NoAPI bool `json:"-"`
}

// Customer is a Gorgias customer.
type Customer struct {
	ID         int64             `json:"id"`
	Name       *string           `json:"name"`
	Firstname  *string           `json:"firstname"`
	Lastname   *string           `json:"lastname"`
	Email      *string           `json:"email"`
	ExternalID *string           `json:"external_id"`
	Channels   []CustomerChannel `json:"channels"`
	// Note and Data are what agents see of a customer besides its name and
	// channels; Meta is stored but not shown.
	Note *string        `json:"note"`
	Data map[string]any `json:"data"`
	// Integrations keeps, by integration id, what each GET HTTP
	// integration last answered about the customer\'s tickets.
	Integrations    map[string]any `json:"integrations"`
	Meta            map[string]any `json:"meta"`
	CreatedDatetime string         `json:"created_datetime"`
	UpdatedDatetime string         `json:"updated_datetime"`
}

// CustomerChannel is a way to reach a customer.
type CustomerChannel struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Address   string `json:"address"`
	Preferred bool   `json:"preferred"`
}

// Person is a message's sender or receiver, as Gorgias embeds it.
type Person struct {
	ID        int64   `json:"id"`
	Email     *string `json:"email"`
	Name      *string `json:"name"`
	Firstname *string `json:"firstname"`
	Lastname  *string `json:"lastname"`
}

// Ticket is a Gorgias ticket. Messages are filled only where Gorgias embeds
// them (reading one ticket).
type Ticket struct {
	ID              int64          `json:"id"`
	ExternalID      *string        `json:"external_id"`
	Status          string         `json:"status"`
	Channel         string         `json:"channel"`
	Via             string         `json:"via"`
	FromAgent       bool           `json:"from_agent"`
	Subject         *string        `json:"subject"`
	Customer        *Person        `json:"customer"`
	Meta            map[string]any `json:"meta"`
	Messages        []Message      `json:"messages,omitempty"`
	CreatedDatetime string         `json:"created_datetime"`
	UpdatedDatetime string         `json:"updated_datetime"`
	ClosedDatetime  *string        `json:"closed_datetime"`
	URI             string         `json:"uri"`
	// Priority is low, normal (the default), high or critical; the
	// assignees are null when nobody is.
	Priority     string      `json:"priority"`
	Tags         []TicketTag `json:"tags"`
	AssigneeUser *Person     `json:"assignee_user"`
	AssigneeTeam *Team       `json:"assignee_team"`
}

// Message is a TicketMessage.
type Message struct {
	ID              int64          `json:"id"`
	TicketID        int64          `json:"ticket_id"`
	Channel         string         `json:"channel"`
	Via             string         `json:"via"`
	FromAgent       bool           `json:"from_agent"`
	Public          bool           `json:"public"`
	Sender          *Person        `json:"sender"`
	Receiver        *Person        `json:"receiver"`
	Source          *Source        `json:"source"`
	Subject         *string        `json:"subject"`
	BodyText        *string        `json:"body_text"`
	BodyHTML        *string        `json:"body_html"`
	StrippedText    *string        `json:"stripped_text"`
	Attachments     []Attachment   `json:"attachments"`
	ExternalID      *string        `json:"external_id"`
	MessageID       *string        `json:"message_id"`
	IntegrationID   *int64         `json:"integration_id"`
	RuleID          *int64         `json:"rule_id"`
	Macros          []MacroRef     `json:"macros"`
	Meta            map[string]any `json:"meta"`
	CreatedDatetime string         `json:"created_datetime"`
	SentDatetime    *string        `json:"sent_datetime"`
	URI             string         `json:"uri"`
}

// Internal reports whether the message is an internal note.
func (m Message) Internal() bool { return !m.Public || m.Channel == "internal-note" }

// Text is the message's plain text, or "".
func (m Message) Text() string {
	if m.BodyText != nil {
		return *m.BodyText
	}
	return ""
}

// Source routes a message.
type Source struct {
	Type string         `json:"type"`
	From *SourceAddress `json:"from,omitempty"`
}

// SourceAddress is one end of a message's route.
type SourceAddress struct {
	Address string `json:"address"`
	Name    string `json:"name,omitempty"`
}

// Attachment is a file on a message.
type Attachment struct {
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        *int64 `json:"size"`
	Public      bool   `json:"public"`
}

// MacroRef names the macro a message was written with.
type MacroRef struct {
	ID int64 `json:"id"`
}

// Integration is an HTTP integration: where Gorgias calls out on events.
type Integration struct {
	ID                  int64     `json:"id"`
	Type                string    `json:"type"`
	Name                string    `json:"name"`
	HTTP                HTTPHooks `json:"http"`
	DeactivatedDatetime *string   `json:"deactivated_datetime"`
	CreatedDatetime     string    `json:"created_datetime"`
	// Failures counts the deliveries that failed in a row.
	Failures int `json:"-"`
}

// HTTPHooks is the http part of an integration: its templated request and
// the events that trigger it.
type HTTPHooks struct {
	URL                string            `json:"url"`
	Method             string            `json:"method"`
	Headers            map[string]string `json:"headers"`
	Form               json.RawMessage   `json:"form,omitempty"`
	RequestContentType string            `json:"request_content_type"`
	Triggers           map[string]bool   `json:"triggers"`
}

// timestamp renders a time as Gorgias's API reference shows it: ISO 8601
// in UTC without a zone, to the microsecond ("created_datetime":
// "2020-01-27T10:42:21.468912",
// https://developers.gorgias.com/reference/the-ticketmessage-object).
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

func ptr[T any](v T) *T { return &v }

// strOr returns *p or "".
func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
