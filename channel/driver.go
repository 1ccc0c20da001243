package channel

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"switchboard"
)

// Sealer seals and opens the secrets of a channel's settings
// (secrets.Keyring); place binds a sealed value to where it is stored.
type Sealer interface {
	Seal(plain []byte, place string) string
	Open(sealed, place string) ([]byte, error)
}

// Driver is one kind of messaging channel.
type Driver interface {
	// Type is the channel type it serves ("whatsapp").
	Type() switchboard.ChannelType
	// Setup checks the settings of a new channel, as given under the type's
	// name in POST /v1/admin/channels, and returns them as stored: secrets
	// sealed with seal for place. A bad setting is EINVALID, naming it.
	Setup(raw json.RawMessage, seal Sealer, place string) (json.RawMessage, error)
	// Public is what the administration shows of stored settings: never a
	// secret.
	Public(stored json.RawMessage) (map[string]any, error)
	// Open returns one channel with its stored settings opened.
	Open(stored json.RawMessage, seal Sealer, place string) (Conn, error)
}

// Conn is one channel of a driver, with its credentials. Each Send is one
// attempt: the outbox retries, orders and records results. The layer keeps
// a Conn while the channel's settings are unchanged and uses it from many
// goroutines at once: it must not change after Open (but for
// SetWebhookURL, which the layer calls before any use), and it is a
// pointer, which the layer compares.
type Conn interface {
	// Handshake answers a GET on the webhook (Meta's hub.challenge): the
	// body to answer with 200, or an EUNAUTHORIZED error (a wrong verify
	// token) or EINVALID one (not a handshake).
	Handshake(q url.Values) (string, error)
	// Verify checks a POST's authenticity on the exact bytes received:
	// EUNAUTHORIZED when it is not the platform's.
	Verify(h http.Header, body []byte) error
	// Parse turns a verified body into items, in the order the platform
	// gave them; an error means the body is not the platform's shape.
	Parse(body []byte) ([]Item, error)
	// Limits are what the platform's interactive messages take.
	Limits() Limits
	// Window is how long after the user's last message the channel may
	// send them anything (WhatsApp: 24 hours); 0 means no limit.
	Window() time.Duration
	// Render turns one component for the user into native messages, in
	// order; the layer has chosen how its buttons show (Component.Menu).
	Render(c Component, o Outgoing) ([]Native, error)
	// Send sends one native message to a user and returns the platform's
	// id for it ("" for what has none, as a typing indicator).
	Send(ctx context.Context, to string, n Native) (string, error)
	// Reopen sends the message that invites a user whose window closed to
	// write again (WhatsApp: the configured template); ok is false when the
	// channel has none.
	Reopen(ctx context.Context, to string) (id string, ok bool, err error)
	// Reopener names what Reopen sends, for the agents ("" for none).
	Reopener() string
	// Media opens a media file the user sent (Item.MediaID); the caller
	// closes the body.
	Media(ctx context.Context, id string) (contentType string, body io.ReadCloser, err error)
}

// Registrar is a Conn whose platform is told the webhook's URL by a call
// of its API (Telegram's setWebhook) rather than by the operator: the
// layer registers the webhook when the channel is created, and
// unregisters it when the channel is deleted.
type Registrar interface {
	// Register points the platform's deliveries at webhookURL; an error
	// (the platform refuses the credentials or the URL) refuses the
	// channel.
	Register(ctx context.Context, webhookURL string) error
	// Unregister stops the deliveries.
	Unregister(ctx context.Context) error
}

// URLTokener is a Conn whose platform neither signs its deliveries nor
// echoes a secret the channel gave it (Chatwoot's agent bots before signed
// webhooks): the layer puts URLToken in the webhook URL it shows and
// registers (?token=), and refuses a delivery that lacks it.
type URLTokener interface {
	URLToken() string
}

// Handover is a Conn whose platform has agents of its own on the user's
// very conversation (a Chatwoot inbox, where switchboard is the agent
// bot): a livechat session of its users is held there, by the provider
// the layer gives (Layer.HandoverProvider). The agents' messages reach the
// user without switchboard; the driver reports them and the conversation's
// closing as ItemAgent and ItemClosed items.
type Handover interface {
	// HandOver gives the user's conversation to the platform's agents,
	// routed as the bot chose (team, priority, tags).
	HandOver(ctx context.Context, user string, r switchboard.Routing) error
	// HandBack gives it back to the bot when the session ended.
	HandBack(ctx context.Context, user string) error
}

// EndHandover is a Handover channel whose bots may hand the conversation
// over by ending their CSML conversation (goto end), as Chatwoot's own
// CSML bots did: when HandsOverAtEnd, a bot turn that ends the
// conversation is followed by LIVECHAT_SESSION_START for the user.
type EndHandover interface {
	HandsOverAtEnd() bool
}

// Replier is a Conn whose platform takes one API call in the answer to a
// webhook (Telegram): WebhookReply is that call for a verified body, nil
// for none. It serves what must follow a delivery at once and may be lost
// (answering a button press, which stops the button's spinner), with no
// call of its own.
type Replier interface {
	WebhookReply(body []byte) any
}

// AgentWindow is a Conn whose platform lets a person answer for longer
// than Window, the message marked as a person's (Messenger's and
// Instagram's HUMAN_AGENT tag, up to 7 days).
type AgentWindow interface {
	// AgentWindow is how long after the user's last message an agent's
	// message may still be sent: the layer renders it with Outgoing.Late
	// set. It is 0 when the channel may not; note says, for the agents,
	// what an agent may do or what it would take.
	AgentWindow() (d time.Duration, note string)
}

// ThreadControl is a Conn whose platform lets several apps share a user's
// thread (Meta's Handover Protocol, when a page also answers from Meta's
// inbox): the layer takes the thread when the user's livechat session
// starts, so that nobody else answers while an agent does, and releases it
// when the session ends.
type ThreadControl interface {
	TakeThread(ctx context.Context, user, note string) error
	ReleaseThread(ctx context.Context, user, note string) error
}

// URLVerifier is a Conn whose platform signs the URL it posted to along
// with the body (Twilio): the layer calls VerifyURL, with the webhook's
// public URL (Config.PublicURL, the path and the query received), in place
// of Verify.
type URLVerifier interface {
	VerifyURL(webhookURL string, h http.Header, body []byte) error
}

// Answerer is a Conn whose platform expects a webhook's answer in a form
// of its own (Twilio: empty TwiML, text/xml): the layer answers a verified
// delivery with it rather than its JSON summary.
type Answerer interface {
	WebhookAnswer() (contentType string, body []byte)
}

// Addressed is a Conn that names its webhook's URL in its sends (Twilio's
// StatusCallback, where the receipts of a message go): the layer gives it
// the URL when it opens the channel.
type Addressed interface {
	SetWebhookURL(webhookURL string)
}

// Item kinds.
const (
	ItemMessage = "message" // the user wrote or pressed something
	ItemStatus  = "status"  // a receipt of a message the channel sent
	// ItemAgent is a message an agent of the platform wrote in the user's
	// conversation (a Handover channel): the user saw it already; it
	// counts as the session's activity, and its sign-off token becomes the
	// end button. Payload is its text, Metadata the agent's id and name.
	ItemAgent = "agent"
	// ItemClosed is an agent of the platform closing the user's
	// conversation (Chatwoot's resolve): the live session ends as the
	// agent's.
	ItemClosed = "closed"
)

// Item is one thing a webhook delivered.
type Item struct {
	Kind string `json:"kind"`
	// UserID is the platform's id of the user (WhatsApp's wa_id): the
	// client's user id.
	UserID string `json:"user_id"`
	// ID is the platform's id of the message: a user message's (the request
	// id of its event), or for a receipt the id of the message it is about.
	ID string `json:"id"`
	// At is when the platform says it happened: a receipt's time.
	At time.Time `json:"at,omitzero"`
	// Payload is the user's event. A button's payload is the reply id the
	// platform gave back (see Button.ID); a media file's url is set by the
	// layer from MediaID.
	Payload switchboard.Payload `json:"payload,omitzero"`
	// MediaID is the platform's id of a media file the user sent.
	MediaID string `json:"media_id,omitempty"`
	// Metadata is what the platform says about the user (name, phone),
	// the client's metadata.
	Metadata json.RawMessage `json:"metadata,omitempty"`
	// Status, Error and Code describe a receipt (switchboard.Sent*).
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
	// WindowClosed marks a failure because the user's window had closed.
	WindowClosed bool `json:"window_closed,omitempty"`
	// SessionOnly marks a user's message the platform's agents have (a
	// Chatwoot conversation that is open): it goes to the user's live
	// livechat session only, never to the bot (engine.Request.SessionOnly).
	SessionOnly bool `json:"session_only,omitempty"`
	// Consent is ConsentStop or ConsentStart on a user's message that
	// unsubscribes them from the channel's messages or subscribes them
	// again (SMS's STOP and START, which carriers enforce).
	Consent string `json:"consent,omitempty"`
}

// Consent changes a user's message may carry.
const (
	ConsentStop  = "stop"
	ConsentStart = "start"
)

// DedupID is the id that makes a second delivery of the item a duplicate:
// a message's id; a receipt's id and status (a message is sent, delivered,
// read: each once).
func (it Item) DedupID() string {
	if it.Kind == ItemStatus {
		return it.ID + ":" + it.Status
	}
	return it.ID
}

// Limits are what a platform's interactive messages take.
type Limits struct {
	// MaxButtons and ButtonTitle bound reply buttons (WhatsApp: 3, 20).
	MaxButtons, ButtonTitle int
	// MaxRows and RowTitle bound a list (WhatsApp: 10, 24); 0 rows: no
	// lists.
	MaxRows, RowTitle int
	// IDLen bounds the reply id a button carries (WhatsApp lists: 200).
	IDLen int
	// IDBytes, when not 0, also bounds the reply id's UTF-8 bytes
	// (Telegram's callback_data: 64 bytes).
	IDBytes int
	// TextLen bounds a text message (WhatsApp: 4096).
	TextLen int
}

// Outgoing is the context of a component for the user.
type Outgoing struct {
	// Message is the stored message the component is from.
	Message switchboard.Message
	// ReplyTo is the platform's id of the user's last message, which a
	// typing indicator needs ("" when unknown).
	ReplyTo string
	// Late marks an agent's message sent after the user's window closed,
	// within the channel's AgentWindow: the driver marks it as a person's.
	Late bool
	// Metadata is the user's metadata as the channel's last delivery gave
	// it (Item.Metadata, the client's): where a platform addresses its
	// replies per conversation (Teams' serviceUrl), the driver reads it
	// here. Nil when the user never wrote.
	Metadata json.RawMessage
}

// Native is one platform message ready to send: Kind names it for logs and
// tests ("text", "buttons", "list", "image", "typing", ...), Body is what
// the driver sends.
type Native struct {
	Kind string `json:"kind"`
	Body any    `json:"body"`
}

// Describer is a Driver that says what its settings are, so that the
// administration's page draws the form of its channels with no code of
// its own: GET /v1/admin/channel-types serves each Describer's
// Description, and the page renders one input per Field, sends the values
// under the type's name to POST /v1/admin/channels (and PUT
// /v1/admin/channels/{id} when the driver is also an Editor), and shows
// the webhook URL with Description.Webhook beside it. A type without it
// can still be set up through the API.
//
// A driver implements it next to its Settings struct, one Field per JSON
// member the operator gives (never the secrets switchboard makes itself,
// such as Telegram's secret token): Field.Name is the member's JSON name,
// and the order of Fields is the order of the form. The page sends every
// text and url field, an empty one as "" (so Setup must read "" as "left
// out" for an optional setting), a bool always, a number only when typed
// (0 on an edit, to clear it), a secret when typed (on an edit, only when
// typed: the driver's Edit keeps the others, see EditSettings). The
// server's error is shown under the form, and the input it names as
// "<type>.<name>" ("whatsapp.template.name" when nested) is marked
// invalid: a Setup or Edit error should name its setting so. The card's "Test webhook" runs the
// channel's Check (Checker), and Edit shows only for an Editor.
//
// A test that every Field is a setting its type takes runs for every
// Describer (admin's TestChannelTypesDescribeTheForms).
type Describer interface {
	Description() Description
}

// Description is how the administration presents a channel type.
type Description struct {
	// Name is the type's display name ("WhatsApp (Cloud API)").
	Name string `json:"name"`
	// Webhook says what the operator does with the channel's webhook URL,
	// shown above it ("Paste it into Meta's dashboard …", or for a driver
	// that registers it itself, that nothing is to be done).
	Webhook string `json:"webhook"`
	// Fields are the settings the operator gives, in the form's order.
	Fields []Field `json:"fields"`
}

// The kinds of Field, which choose the input and the JSON value sent.
const (
	FieldText   = "text"   // a string
	FieldSecret = "secret" // a string never shown again: on an edit, left empty keeps its value
	FieldURL    = "url"    // a string, an http(s) URL
	FieldNumber = "number" // a JSON number (an account id); empty is left out
	FieldBool   = "bool"   // a checkbox, true or false
	FieldSelect = "select" // a string among Choices
)

// Field is one setting of a channel type, as the page asks for it.
type Field struct {
	// Name is the setting's JSON member ("phone_number_id").
	Name string `json:"name"`
	// Object, when set, is the member of an object the setting is nested
	// in ("template" for whatsapp.template.name). The page leaves the
	// object out when all its fields are empty, and on an edit sends it
	// as null to remove it.
	Object string `json:"object,omitempty"`
	// Label names the input ("Phone number ID").
	Label string `json:"label"`
	// Help says where to find the value, under the input.
	Help string `json:"help,omitempty"`
	// Kind is one of the Field* kinds.
	Kind string `json:"kind"`
	// Required marks a setting the channel cannot do without.
	Required bool `json:"required,omitempty"`
	// Placeholder is shown in an empty input: the value used when it is
	// left empty, or an example.
	Placeholder string `json:"placeholder,omitempty"`
	// Choices are a FieldSelect's values, in order.
	Choices []Choice `json:"choices,omitempty"`
}

// Choice is one value of a FieldSelect.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// TypeInfo is one messaging channel type as GET /v1/admin/channel-types
// lists it.
type TypeInfo struct {
	Type switchboard.ChannelType `json:"type"`
	Description
	// Editable says whether PUT /v1/admin/channels/{id} takes its
	// settings (the driver is an Editor).
	Editable bool `json:"editable"`
}
