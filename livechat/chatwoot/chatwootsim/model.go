package chatwootsim

import "time"

// The objects the simulator keeps. Answers and webhooks render them in
// Chatwoot's shapes (see render.go); tests and the console read them as
// they are.

// User is an agent or an administrator of the instance; Token is their
// access token (Profile settings > Access token).
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// Roles are the user's accounts: account id to administrator or agent.
	Roles map[int64]string `json:"roles"`
	Token string           `json:"-"`
	// Availability is the user's availability_status: online (the
	// default: signed in to the dashboard), busy or offline.
	Availability string `json:"availability_status,omitempty"`
}

// AgentBot is an agent bot; its token may call a few endpoints only.
type AgentBot struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Token string `json:"-"`
	// OutgoingURL is where the bot's events are posted (ConnectBot).
	OutgoingURL string `json:"outgoing_url,omitempty"`
	// Inboxes are the inboxes the bot is connected to.
	Inboxes []int64 `json:"inboxes,omitempty"`
}

// Account is a Chatwoot account.
type Account struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Inbox is an inbox; API inboxes call their WebhookURL on every event.
type Inbox struct {
	ID                       int64  `json:"id"`
	AccountID                int64  `json:"account_id"`
	Name                     string `json:"name"`
	ChannelType              string `json:"channel_type"`
	ChannelID                int64  `json:"channel_id"`
	WebhookURL               string `json:"webhook_url"`
	Identifier               string `json:"inbox_identifier"`
	HMACToken                string `json:"-"`
	Secret                   string `json:"-"`
	HMACMandatory            bool   `json:"hmac_mandatory"`
	LockToSingleConversation bool   `json:"lock_to_single_conversation"`
	EnableAutoAssignment     bool   `json:"enable_auto_assignment"`
	CSATSurveyEnabled        bool   `json:"csat_survey_enabled"`
}

// api reports whether the inbox is an API channel.
func (in *Inbox) api() bool { return in.ChannelType == "Channel::Api" }

// Contact is a contact of an account.
type Contact struct {
	ID                   int64          `json:"id"`
	AccountID            int64          `json:"account_id"`
	Name                 string         `json:"name"`
	Email                string         `json:"email,omitempty"`
	PhoneNumber          string         `json:"phone_number,omitempty"`
	Identifier           string         `json:"identifier,omitempty"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	CreatedAt            time.Time      `json:"created_at"`
}

// resolved reports whether search finds the contact: it has an
// identifier, an email or a phone.
func (c *Contact) resolved() bool { return c.Identifier != "" || c.Email != "" || c.PhoneNumber != "" }

// ContactInbox is a contact in an inbox, under a source_id.
type ContactInbox struct {
	ID        int64  `json:"id"`
	ContactID int64  `json:"contact_id"`
	InboxID   int64  `json:"inbox_id"`
	SourceID  string `json:"source_id"`
}

// Conversation is a conversation; DisplayID is its number in the account,
// the one every path uses.
type Conversation struct {
	ID        int64 `json:"-"`
	DisplayID int64 `json:"id"`
	// UUID names the conversation in its public links, such as the CSAT
	// survey's /survey/responses/{uuid}.
	UUID                 string         `json:"uuid"`
	AccountID            int64          `json:"account_id"`
	InboxID              int64          `json:"inbox_id"`
	ContactID            int64          `json:"contact_id"`
	SourceID             string         `json:"source_id"`
	Status               string         `json:"status"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	CreatedAt            time.Time      `json:"created_at"`
	LastActivityAt       time.Time      `json:"last_activity_at"`
	// UpdatedAt is when it last changed (its status, here): webhooks carry
	// it as seconds with a fraction, as Chatwoot's updated_at.to_f.
	UpdatedAt time.Time `json:"updated_at"`
	// AssigneeID and TeamID are the agent and team it is assigned to (0:
	// none); Labels and Priority ("" = none) as agents set them.
	AssigneeID int64    `json:"assignee_id,omitempty"`
	TeamID     int64    `json:"team_id,omitempty"`
	Labels     []string `json:"labels,omitempty"`
	Priority   string   `json:"priority,omitempty"`
	// ContactName and Messages are filled in the snapshots the simulator
	// hands out.
	ContactName string    `json:"contact_name,omitempty"`
	Messages    []Message `json:"messages,omitempty"`
}

// Message types, as the REST API numbers them.
const (
	TypeIncoming = 0
	TypeOutgoing = 1
	TypeActivity = 2
	TypeTemplate = 3
)

// typeNames are the webhooks' words for the types.
var typeNames = []string{"incoming", "outgoing", "activity", "template"}

// Message is a message of a conversation.
type Message struct {
	ID             int64 `json:"id"`
	ConversationID int64 `json:"-"`
	// Content is nil for a message with files only.
	Content           *string        `json:"content"`
	ContentType       string         `json:"content_type"`
	MessageType       int            `json:"message_type"`
	Private           bool           `json:"private"`
	Status            string         `json:"status"`
	ExternalError     string         `json:"external_error,omitempty"`
	SourceID          string         `json:"source_id,omitempty"`
	SenderType        string         `json:"sender_type,omitempty"`
	SenderID          int64          `json:"sender_id,omitempty"`
	ContentAttributes map[string]any `json:"content_attributes"`
	Attachments       []Attachment   `json:"attachments"`
	CreatedAt         time.Time      `json:"created_at"`
}

// Text is the message's content ("" when it has none).
func (m Message) Text() string {
	if m.Content == nil {
		return ""
	}
	return *m.Content
}

// TypeName is the message's type as webhooks say it.
func (m Message) TypeName() string { return typeNames[m.MessageType] }

// Attachment is a file of a message.
type Attachment struct {
	ID       int64  `json:"id"`
	FileType string `json:"file_type"`
	DataURL  string `json:"data_url"`
	FileName string `json:"file_name,omitempty"`
	FileSize int    `json:"file_size"`
	data     []byte
}

// CannedResponse is a saved reply agents insert by its short code.
type CannedResponse struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	ShortCode string `json:"short_code"`
	Content   string `json:"content"`
}
