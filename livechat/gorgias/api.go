package gorgias

// The Gorgias REST objects, as far as switchboard writes and reads them
// (https://developers.gorgias.com/reference). Fields Gorgias may send as null
// are strings or pointers whose zero value means "absent".

// Customer is a Gorgias customer.
type Customer struct {
	ID         int64             `json:"id,omitempty"`
	Name       string            `json:"name,omitempty"`
	Firstname  string            `json:"firstname,omitempty"`
	Lastname   string            `json:"lastname,omitempty"`
	Email      string            `json:"email,omitempty"`
	ExternalID string            `json:"external_id,omitempty"`
	Channels   []CustomerChannel `json:"channels,omitempty"`
	// Note and Data are shown to agents in the customer's sidebar.
	Note string         `json:"note,omitempty"`
	Data map[string]any `json:"data,omitempty"`
}

// CustomerChannel is one way to reach a customer (email, phone).
type CustomerChannel struct {
	Type      string `json:"type"`
	Address   string `json:"address"`
	Preferred bool   `json:"preferred"`
}

// Ref names an existing object by id (a customer or a user).
type Ref struct {
	ID    int64  `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
}

// Ticket is a Gorgias ticket.
type Ticket struct {
	ID         int64          `json:"id,omitempty"`
	ExternalID string         `json:"external_id,omitempty"`
	Status     string         `json:"status,omitempty"`
	Channel    string         `json:"channel,omitempty"`
	Via        string         `json:"via,omitempty"`
	FromAgent  *bool          `json:"from_agent,omitempty"`
	Subject    string         `json:"subject,omitempty"`
	Customer   *Customer      `json:"customer,omitempty"`
	Meta       map[string]any `json:"meta,omitempty"`
	Messages   []Message      `json:"messages,omitempty"`
	// The routing the bot chose, and the agent who took the ticket (an
	// assignee is the session's claim).
	Priority     string  `json:"priority,omitempty"`
	Tags         []Tag   `json:"tags,omitempty"`
	AssigneeTeam *Ref    `json:"assignee_team,omitempty"`
	AssigneeUser *Person `json:"assignee_user,omitempty"`
}

// Message is a TicketMessage: a customer's message, an agent's reply, a rule's
// auto-reply or an internal note.
type Message struct {
	ID           int64          `json:"id,omitempty"`
	TicketID     int64          `json:"ticket_id,omitempty"`
	Channel      string         `json:"channel"`
	Via          string         `json:"via"`
	FromAgent    bool           `json:"from_agent"`
	Public       *bool          `json:"public,omitempty"`
	Sender       *Person        `json:"sender,omitempty"`
	Source       *Source        `json:"source,omitempty"`
	BodyText     string         `json:"body_text,omitempty"`
	BodyHTML     string         `json:"body_html,omitempty"`
	StrippedText string         `json:"stripped_text,omitempty"`
	Attachments  []Attachment   `json:"attachments,omitempty"`
	ExternalID   string         `json:"external_id,omitempty"`
	RuleID       *int64         `json:"rule_id,omitempty"`
	Meta         map[string]any `json:"meta,omitempty"`
	SentDatetime string         `json:"sent_datetime,omitempty"`
	// CreatedDatetime is set by Gorgias (ISO 8601); the poll reads it.
	CreatedDatetime string `json:"created_datetime,omitempty"`
}

// Person is the sender of a message: a customer or a user (agent).
type Person struct {
	ID        int64  `json:"id,omitempty"`
	Email     string `json:"email,omitempty"`
	Name      string `json:"name,omitempty"`
	Firstname string `json:"firstname,omitempty"`
	Lastname  string `json:"lastname,omitempty"`
}

// Source routes a message; only its type matters to switchboard.
type Source struct {
	Type string `json:"type,omitempty"`
}

// Attachment is a file on a message.
type Attachment struct {
	URL         string `json:"url"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty"`
}

// page is one page of a cursor-paginated list.
type page[T any] struct {
	Data []T `json:"data"`
	Meta struct {
		NextCursor string `json:"next_cursor"`
	} `json:"meta"`
}
