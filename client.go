package switchboard

import (
	"context"
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

// ClientState is what a bot turn reads of its client before the bot runs.
// A turn that finds no live session and no survey waiting runs the bot on
// the rest; the conversation's version guards its write (PutConversation).
type ClientState struct {
	Client       *Client       // nil for a client never seen
	LiveSession  *Session      // the pending or active session, or nil
	OpenCSAT     *CSATAnswer   // the survey not done yet, or nil
	Conversation *Conversation // the open conversation, or nil
	Memories     []Memory      // the memories of the client's own bot
}

// ReadClientState reads a client's state with one call of tx per part, for
// stores that have nothing faster.
func ReadClientState(ctx context.Context, tx Tx, key ClientKey) (*ClientState, error) {
	var s ClientState
	var err error
	if s.Client, err = tx.FindClient(ctx, key); err != nil {
		return nil, err
	}
	if s.LiveSession, err = tx.FindLiveSession(ctx, key); err != nil {
		return nil, err
	}
	if s.OpenCSAT, err = tx.FindOpenCSAT(ctx, key); err != nil {
		return nil, err
	}
	if s.Conversation, err = tx.FindOpenConversation(ctx, key); err != nil {
		return nil, err
	}
	if s.Memories, err = tx.Memories(ctx, key); err != nil {
		return nil, err
	}
	return &s, nil
}
