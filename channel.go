package switchboard

import (
	"encoding/json"
	"fmt"
	"time"
)

// ChannelType says how end users reach a bot through a channel.
type ChannelType string

// The channel types switchboard serves.
const (
	ChannelWebapp ChannelType = "webapp" // the chat page and embeddable widget
	ChannelAPI    ChannelType = "api"    // the HTTP Chat API
)

// Channel is one way into a bot, with its own id and credentials.
type Channel struct {
	ID        string      `json:"id"`
	BotID     string      `json:"bot_id"`
	Type      ChannelType `json:"type"`
	Name      string      `json:"name"`
	CreatedAt time.Time   `json:"created_at"`
	// APIKey is the public key of an API channel (the X-Api-Key header);
	// unique among channels, empty for other types.
	APIKey string `json:"api_key,omitempty"`
	// Secret is the API secret of an API channel, sealed (see package
	// secrets): stores keep it as given and never see it in clear.
	Secret string `json:"-"`
	// Multibot lists the bots that conversations of this channel may
	// switch to with `goto ... in bot`, as the CSML engine's request field
	// of the same name does; empty, a switch is refused.
	Multibot MultiBots `json:"multibot,omitempty"`
}

// MultiBot is a bot a channel may switch to: a goto names it by id or by
// name.
type MultiBot struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// MultiBots is a channel's list of bots; stores keep it as the JSON text of
// Encode.
type MultiBots []MultiBot

// Encode is the list as stores write it: JSON, or "" for none.
func (m MultiBots) Encode() string {
	if len(m) == 0 {
		return ""
	}
	data, _ := json.Marshal([]MultiBot(m)) // plain strings always marshal
	return string(data)
}

// DecodeMultiBots reads what Encode wrote.
func DecodeMultiBots(s string) (MultiBots, error) {
	if s == "" {
		return nil, nil
	}
	var m MultiBots
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("multibot: %w", err)
	}
	return m, nil
}

// Sent is one native message a messaging channel (WhatsApp, ...) sent for a
// stored message, under the platform's id for it, and what became of it:
// the receipts the platform reported later. A stored message may need
// several native messages (parts, in order), and a part that was sent is
// never sent again by a retry.
type Sent struct {
	ChannelID string `json:"channel_id"`
	// PlatformID is the platform's id of the native message (WhatsApp's
	// wamid); unique within the channel.
	PlatformID string    `json:"platform_id"`
	MessageID  int64     `json:"message_id"`
	Client     ClientKey `json:"client"`
	Part       int       `json:"part"`
	// Status is sent, delivered, read or failed (see SentStatusRank).
	Status    string    `json:"status"`
	Error     string    `json:"error,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// The statuses of a Sent message.
const (
	SentAccepted  = "sent"
	SentDelivered = "delivered"
	SentRead      = "read"
	SentFailed    = "failed"
)

// SentStatusRank orders receipts, which platforms deliver out of order: a
// status never replaces one of a higher rank (read after delivered, never
// the reverse; failed is final).
func SentStatusRank(status string) int {
	switch status {
	case SentAccepted:
		return 1
	case SentDelivered:
		return 2
	case SentRead:
		return 3
	case SentFailed:
		return 4
	}
	return 0
}
