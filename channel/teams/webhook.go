package teams

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"switchboard"
	"switchboard/channel"
)

// Conn is one Teams channel: its settings opened.
type Conn struct {
	s Settings
	c *Client
}

// Handshake: the Bot Framework verifies no messaging endpoint by GET.
func (c *Conn) Handshake(url.Values) (string, error) {
	return "", switchboard.Errorf(switchboard.EINVALID, "a Teams channel's webhook has no GET verification: set it as the Azure Bot's messaging endpoint")
}

// Verify checks the bearer token of an activity (see verifyToken) against
// the activity's serviceUrl and channelId.
func (c *Conn) Verify(h http.Header, body []byte) error {
	var a struct {
		ServiceURL string `json:"serviceUrl"`
		ChannelID  string `json:"channelId"`
	}
	if h.Get("Authorization") == "" {
		return unauthorized("the Authorization header is missing: only the Bot Connector's activities, each with its JWT, are taken")
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return unauthorized("the body is not an activity: %v", err)
	}
	return c.verifyToken(h.Get("Authorization"), a.ServiceURL, a.ChannelID)
}

// The Activity the Bot Connector posts (the parts the channel reads).
type (
	activity struct {
		Type         string          `json:"type"`
		ID           string          `json:"id"`
		Timestamp    string          `json:"timestamp"`
		ServiceURL   string          `json:"serviceUrl"`
		ChannelID    string          `json:"channelId"`
		From         account         `json:"from"`
		Recipient    account         `json:"recipient"`
		Conversation conversation    `json:"conversation"`
		Text         string          `json:"text"`
		Value        json.RawMessage `json:"value"`
		Attachments  []attachment    `json:"attachments"`
		Entities     []entity        `json:"entities"`
		Locale       string          `json:"locale"`
	}
	account struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		AADObjectID string `json:"aadObjectId"`
	}
	conversation struct {
		ID               string `json:"id"`
		ConversationType string `json:"conversationType"`
		TenantID         string `json:"tenantId"`
	}
	attachment struct {
		ContentType string          `json:"contentType"`
		ContentURL  string          `json:"contentUrl"`
		Name        string          `json:"name"`
		Content     json.RawMessage `json:"content"`
	}
	entity struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
)

// fileInfo is the content of a file a user sent in a personal chat.
const fileInfo = "application/vnd.microsoft.teams.file.download.info"

// mention is the markup of an @mention of the bot in a group's message.
var mention = regexp.MustCompile(`<at>[^<]*</at>`)

// Parse reads one activity. A message is an item, or one per file it
// carries; its id is the conversation's and the activity's, so that a
// second delivery is a duplicate. The other activities (conversationUpdate,
// installationUpdate, typing, reactions, edits, invokes) are skipped, as
// are the bot's own messages.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	var a activity
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("teams: the body is not an Activity: %w", err)
	}
	if a.Type == "" || a.Conversation.ID == "" {
		return nil, fmt.Errorf("teams: the body has no type or conversation: not an Activity")
	}
	if a.Type != "message" || a.ID == "" || a.From.ID == a.Recipient.ID {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339Nano, a.Timestamp)
	if err != nil {
		at = time.Now().UTC()
	}
	base := channel.Item{Kind: channel.ItemMessage, UserID: a.Conversation.ID, ID: itemID(a.Conversation.ID, a.ID), At: at, Metadata: metadata(a)}
	var out []channel.Item
	if p, ok := messagePayload(a); ok {
		it := base
		it.Payload = p
		out = append(out, it)
	}
	for i, att := range a.Attachments {
		it, ok := c.mediaItem(att)
		if !ok {
			continue
		}
		it.Kind, it.UserID, it.At, it.Metadata = base.Kind, base.UserID, base.At, base.Metadata
		it.ID = fmt.Sprintf("%s:%d", base.ID, i)
		out = append(out, it)
	}
	return out, nil
}

// itemID is an activity's item id: the conversation's id and the
// activity's (Teams' are per conversation), or a hash of the
// conversation's when that would be longer than an id may be.
func itemID(conversationID, activityID string) string {
	id := conversationID + ":" + activityID
	if len(id) > switchboard.MaxIDLen {
		sum := sha256.Sum256([]byte(conversationID))
		id = hex.EncodeToString(sum[:12]) + ":" + activityID
	}
	return id
}

// metadata is what an activity says of its user and conversation, the
// client's metadata; service_url is where the replies go.
func metadata(a activity) json.RawMessage {
	meta := map[string]string{"service_url": a.ServiceURL, "teams_id": a.From.ID}
	// The display name's first word, as the other channels give a first
	// name.
	if f := strings.Fields(a.From.Name); len(f) > 0 {
		meta["firstname"] = f[0]
	}
	for k, v := range map[string]string{"name": a.From.Name, "aad_object_id": a.From.AADObjectID, "tenant_id": a.Conversation.TenantID, "conversation_type": a.Conversation.ConversationType, "locale": a.Locale} {
		if v != "" {
			meta[k] = v
		}
	}
	raw, _ := json.Marshal(meta)
	return raw
}

// messagePayload is the event of a message's text or value: a button's
// value (messageBack, Action.Submit) is a payload, any other value its
// JSON as the payload; a text loses the bot's @mention.
func messagePayload(a activity) (switchboard.Payload, bool) {
	if v := strings.TrimSpace(string(a.Value)); v != "" && v != "null" {
		var b struct {
			Payload string `json:"payload"`
			Title   string `json:"title"`
		}
		content := map[string]string{}
		if json.Unmarshal(a.Value, &b) == nil && b.Payload != "" {
			content["payload"] = b.Payload
			if b.Title != "" {
				content["title"] = b.Title
			}
		} else {
			content["payload"] = v
		}
		raw, _ := json.Marshal(content)
		return switchboard.Payload{ContentType: "payload", Content: raw}, true
	}
	text := strings.TrimSpace(mention.ReplaceAllString(a.Text, ""))
	if text == "" {
		return switchboard.Payload{}, false
	}
	raw, _ := json.Marshal(map[string]string{"text": text})
	return switchboard.Payload{ContentType: "text", Content: raw}, true
}

// mediaItem is the item of a file a user sent: an inline image, fetched
// later with the bot's token (its MediaID is its URL, encoded), or a
// file of a personal chat, whose downloadUrl needs no token.
func (c *Conn) mediaItem(att attachment) (channel.Item, bool) {
	var it channel.Item
	content := map[string]string{}
	if att.Name != "" {
		content["name"] = att.Name
	}
	switch {
	case att.ContentType == fileInfo:
		var info struct {
			DownloadURL string `json:"downloadUrl"`
			FileType    string `json:"fileType"`
		}
		if json.Unmarshal(att.Content, &info) != nil || info.DownloadURL == "" {
			return it, false
		}
		content["url"] = info.DownloadURL
		it.Payload.ContentType = "file"
	case strings.HasPrefix(att.ContentType, "image/") && att.ContentURL != "":
		it.Payload.ContentType = "image"
		content["mime_type"] = att.ContentType
		if id := base64.RawURLEncoding.EncodeToString([]byte(att.ContentURL)); len(id) <= switchboard.MaxIDLen {
			it.MediaID = id
		} else {
			content["url"] = att.ContentURL
		}
	default:
		// The HTML copy of a text, cards: nothing of the user's.
		return it, false
	}
	it.Payload.Content, _ = json.Marshal(content)
	return it, true
}
