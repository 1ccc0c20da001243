package whatsappsim

import "time"

// Option is a reply button or a list row as the business sent it: the id
// comes back when the customer taps it.
type Option struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Media is an attachment: an uploaded or received media id, or a link.
type Media struct {
	ID       string `json:"id,omitempty"`
	Link     string `json:"link,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	// Data is the file, when the simulator holds it (an upload or a
	// customer's file; not a link).
	Data []byte `json:"-"`
}

// Template is a template message as sent: its name, language and the body
// parameters in order.
type Template struct {
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Params   []string `json:"params,omitempty"`
	// payloads are the quick reply buttons' payloads by index.
	payloads map[int]string
}

// GraphError is an error as Meta reports it: in the Graph error envelope
// of a refused request, or in the errors of a `failed` status.
type GraphError struct {
	// HTTPStatus is the answer's status (0 in a status webhook).
	HTTPStatus int    `json:"http_status,omitempty"`
	Code       int    `json:"code"`
	Type       string `json:"type,omitempty"`
	Title      string `json:"title"`
	Message    string `json:"message"`
	Details    string `json:"details,omitempty"`
}

func (e *GraphError) Error() string {
	return "(#" + itoa(e.Code) + ") " + e.Message + ": " + e.Details
}

// Statuses of a sent message, in the order they are reached: Accepted when
// the send API answered 200, then what the status webhooks said.
const (
	StatusAccepted  = "accepted"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
)

// Sent is a message the business sent to a customer through the send API.
type Sent struct {
	// ID is the wamid the send API answered.
	ID   string `json:"id"`
	To   string `json:"to"`
	Type string `json:"type"`
	// Interactive is the interactive message's kind (button, list,
	// cta_url).
	Interactive string `json:"interactive,omitempty"`
	// Text is the text a customer reads: a text body, an interactive body,
	// a media caption, a template's body with its parameters.
	Text   string `json:"text,omitempty"`
	Header string `json:"header,omitempty"`
	Footer string `json:"footer,omitempty"`
	// Buttons are an interactive button message's reply buttons (or a
	// template's quick replies, their payload as id); ListRows a
	// list message's rows (of every section) and ListButton the button
	// that opens it.
	Buttons    []Option  `json:"buttons,omitempty"`
	ListRows   []Option  `json:"list_rows,omitempty"`
	ListButton string    `json:"list_button,omitempty"`
	URL        string    `json:"url,omitempty"`
	Media      *Media    `json:"media,omitempty"`
	Template   *Template `json:"template,omitempty"`
	Latitude   float64   `json:"latitude,omitempty"`
	Longitude  float64   `json:"longitude,omitempty"`
	// Emoji and ReplyTo: a reaction's emoji and the message it is on; for
	// other types ReplyTo is the quoted message (context.message_id).
	Emoji   string `json:"emoji,omitempty"`
	ReplyTo string `json:"reply_to,omitempty"`
	// Status is the newest of StatusAccepted … StatusFailed.
	Status string `json:"status"`
	// Error is why a message failed (131047 outside the window).
	Error *GraphError `json:"error,omitempty"`
	Time  time.Time   `json:"time"`
	// Body is the request's JSON as sent.
	Body []byte `json:"-"`
}

// Inbound is a message a customer wrote, as the simulator posted it.
type Inbound struct {
	ID   string `json:"id"`
	From string `json:"from"`
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	// Reply is the button or row a customer tapped, Context the message it
	// was on.
	Reply     *Option   `json:"reply,omitempty"`
	Context   string    `json:"context,omitempty"`
	Media     *Media    `json:"media,omitempty"`
	Latitude  float64   `json:"latitude,omitempty"`
	Longitude float64   `json:"longitude,omitempty"`
	Time      time.Time `json:"time"`
	// Read is set when the business marked it read.
	Read bool `json:"read,omitempty"`
}

// Entry is one bubble of a conversation: a customer's message or the
// business's.
type Entry struct {
	In  *Inbound `json:"in,omitempty"`
	Out *Sent    `json:"out,omitempty"`
}

// customer is one WhatsApp user talking to the business number.
type customer struct {
	waID, name string
	// lastInbound opens the 24-hour customer service window.
	lastInbound time.Time
	log         []Entry
	// typingUntil is when the business's typing indicator goes.
	typingUntil time.Time
	// sends are when messages to this customer were accepted, for the pair
	// rate limit.
	sends []time.Time
}

// Conversation is a customer and their messages, oldest first.
type Conversation struct {
	WaID    string  `json:"wa_id"`
	Name    string  `json:"name"`
	Entries []Entry `json:"entries"`
	// WindowOpen says whether a free-form message would be delivered now.
	WindowOpen bool `json:"window_open"`
	// Typing says whether the business's typing indicator shows.
	Typing bool `json:"typing"`
}
