package switchboard

import (
	"encoding/json"
	"strings"
	"time"
)

// ClientKey identifies one end user on one channel of one bot.
type ClientKey struct {
	BotID     string `json:"bot_id"`
	ChannelID string `json:"channel_id"`
	UserID    string `json:"user_id"`
}

// String renders the key as "bot/channel/user", the form used in logs, topics and
// routing keys. Ids are validated at the edges and never contain '/'.
func (k ClientKey) String() string {
	return k.BotID + "/" + k.ChannelID + "/" + k.UserID
}

// ParseClientKey is the inverse of ClientKey.String.
func ParseClientKey(s string) (ClientKey, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return ClientKey{}, false
	}
	return ClientKey{BotID: parts[0], ChannelID: parts[1], UserID: parts[2]}, true
}

// Client is what switchboard knows of an end user: the metadata their channel
// gave (first name, email, any key), readable by the bot as _metadata and passed
// to the livechat platform at the start of a session.
type Client struct {
	Key      ClientKey       `json:"client"`
	Metadata json.RawMessage `json:"metadata"`
	// CallbackURL is where messages that answer no request (agent replies,
	// expiry turns) are POSTed, for clients of the Chat API: the latest
	// callback_url the client gave.
	CallbackURL string    `json:"callback_url,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}
