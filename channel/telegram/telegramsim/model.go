package telegramsim

import (
	"encoding/json"
	"time"
)

// Chat is a private chat of a user with the bot, as the console shows it.
type Chat struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
	// Blocked: the user blocked the bot; sends are refused with 403.
	Blocked  bool      `json:"blocked"`
	Messages []Message `json:"messages"`
	// Action is the last chat action (typing) and when it ends.
	Action      string    `json:"action,omitempty"`
	ActionUntil time.Time `json:"action_until,omitzero"`
	lastID      int64
}

// Message is one message of a chat, the user's or the bot's.
type Message struct {
	ID      int64     `json:"message_id"`
	FromBot bool      `json:"from_bot"`
	Date    time.Time `json:"date"`
	Text    string    `json:"text,omitempty"`
	Caption string    `json:"caption,omitempty"`
	// Media is photo, video, audio, document or voice; File the URL or
	// file_id the bot sent, or the file_id of what the user sent.
	Media string `json:"media,omitempty"`
	File  string `json:"file,omitempty"`
	// Location is a shared place: latitude and longitude.
	Location *[2]float64 `json:"location,omitempty"`
	// Edited is when the user last edited the message.
	Edited    time.Time  `json:"edited,omitzero"`
	ParseMode string     `json:"parse_mode,omitempty"`
	Keyboard  [][]Button `json:"keyboard,omitempty"`
}

// Button is an inline keyboard button.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Callback is a press of an inline button, which the bot must answer
// (answerCallbackQuery): until then the user's app shows a spinner.
type Callback struct {
	ID        string    `json:"id"`
	ChatID    int64     `json:"chat_id"`
	MessageID int64     `json:"message_id"`
	Data      string    `json:"data"`
	At        time.Time `json:"at"`
	Answered  bool      `json:"answered"`
	// Text is the notification the answer showed, if any.
	Text string `json:"text,omitempty"`
}

// Call is one Bot API call the simulator answered, for tests and the
// console.
type Call struct {
	Method      string    `json:"method"`
	Status      int       `json:"status"`
	Description string    `json:"description,omitempty"`
	RetryAfter  int       `json:"retry_after,omitempty"`
	At          time.Time `json:"at"`
	// Webhook marks a method run from a webhook's answer.
	Webhook bool `json:"webhook,omitempty"`
}

// storedFile is a file a user sent.
type storedFile struct {
	ID, Path, MimeType, Name string
	Data                     []byte
}

// update is an Update waiting to be delivered.
type update struct {
	ID   int64
	Body json.RawMessage
	// Kind is the update's field (message, callback_query), for
	// allowed_updates.
	Kind    string
	Created time.Time
}

// webhook is what setWebhook set.
type webhook struct {
	URL            string
	Secret         string
	MaxConnections int
	AllowedUpdates []string
	LastErrorDate  time.Time
	LastError      string
}

// jsonUser is a user as the Bot API writes it.
func (c *Chat) jsonUser() map[string]any {
	u := map[string]any{"id": c.ID, "is_bot": false, "first_name": c.FirstName, "language_code": "en"}
	if c.Username != "" {
		u["username"] = c.Username
	}
	return u
}

// jsonChat is the chat as the Bot API writes it.
func (c *Chat) jsonChat() map[string]any {
	ch := map[string]any{"id": c.ID, "type": "private", "first_name": c.FirstName}
	if c.Username != "" {
		ch["username"] = c.Username
	}
	return ch
}
