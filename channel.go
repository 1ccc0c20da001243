package switchboard

import "time"

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
}
