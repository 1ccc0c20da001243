package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
	"switchboard/channel"
)

// secretHeader carries the setWebhook secret_token on every update.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Handshake: Telegram verifies no webhook by GET (setWebhook is the
// registration).
func (c *Conn) Handshake(url.Values) (string, error) {
	return "", switchboard.Errorf(switchboard.EINVALID, "a Telegram channel's webhook has no GET verification: switchboard registered it with setWebhook")
}

// Verify checks the secret token Telegram echoes, in constant time: it is
// the only proof that an update is Telegram's.
func (c *Conn) Verify(h http.Header, _ []byte) error {
	got := h.Get(secretHeader)
	if got == "" {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s is missing: only Telegram's deliveries, with the secret switchboard gave setWebhook, are taken", secretHeader)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(c.s.Secret)) != 1 {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s is not this channel's secret: delete and create the channel again if the bot's webhook was set by something else", secretHeader)
	}
	return nil
}

// The Update Telegram posts (the parts the channel reads).
type (
	update struct {
		UpdateID      int64          `json:"update_id"`
		Message       *message       `json:"message"`
		EditedMessage *message       `json:"edited_message"`
		CallbackQuery *callbackQuery `json:"callback_query"`
	}
	message struct {
		MessageID int64  `json:"message_id"`
		From      *user  `json:"from"`
		Chat      chat   `json:"chat"`
		Date      int64  `json:"date"`
		Text      string `json:"text"`
		Caption   string `json:"caption"`
		Photo     []file `json:"photo"`
		Document  *file  `json:"document"`
		Video     *file  `json:"video"`
		Audio     *file  `json:"audio"`
		Voice     *file  `json:"voice"`
		Location  *struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"location"`
		Contact *struct {
			PhoneNumber string `json:"phone_number"`
			FirstName   string `json:"first_name"`
		} `json:"contact"`
		ReplyMarkup struct {
			InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
		} `json:"reply_markup"`
	}
	inlineButton struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	}
	user struct {
		ID           int64  `json:"id"`
		IsBot        bool   `json:"is_bot"`
		FirstName    string `json:"first_name"`
		LastName     string `json:"last_name"`
		Username     string `json:"username"`
		LanguageCode string `json:"language_code"`
	}
	chat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
	file struct {
		FileID   string `json:"file_id"`
		FileName string `json:"file_name"`
		MimeType string `json:"mime_type"`
	}
	callbackQuery struct {
		ID      string   `json:"id"`
		From    user     `json:"from"`
		Message *message `json:"message"`
		Data    string   `json:"data"`
	}
)

// Parse reads one Update. Its id is the item's: a second delivery of the
// same update is a duplicate. A user's message and a button press are
// items; an edit, a message in a group or channel, and the update types
// not asked for are skipped.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	var u update
	if err := json.Unmarshal(body, &u); err != nil {
		return nil, fmt.Errorf("telegram: the body is not an Update: %w", err)
	}
	if u.UpdateID == 0 {
		return nil, fmt.Errorf("telegram: the body has no update_id: not an Update")
	}
	id := strconv.FormatInt(u.UpdateID, 10)
	switch {
	case u.Message != nil && u.Message.Chat.Type == "private":
		if it, ok := messageItem(id, *u.Message); ok {
			return []channel.Item{it}, nil
		}
	case u.CallbackQuery != nil && u.CallbackQuery.Data != "":
		q := u.CallbackQuery
		it := channel.Item{Kind: channel.ItemMessage, UserID: strconv.FormatInt(q.From.ID, 10), ID: id, At: time.Now().UTC(), Metadata: metadata(q.From)}
		content := map[string]string{"payload": q.Data}
		if q.Message != nil {
			it.At = time.Unix(q.Message.Date, 0).UTC()
			for _, row := range q.Message.ReplyMarkup.InlineKeyboard {
				for _, b := range row {
					if b.CallbackData == q.Data {
						content["title"] = b.Text
					}
				}
			}
		}
		it.Payload.ContentType = "payload"
		it.Payload.Content, _ = json.Marshal(content)
		return []channel.Item{it}, nil
	}
	return nil, nil
}

// metadata is what Telegram says of a user, the client's metadata.
func metadata(u user) json.RawMessage {
	meta := map[string]string{"telegram_id": strconv.FormatInt(u.ID, 10)}
	for k, v := range map[string]string{"firstname": u.FirstName, "lastname": u.LastName, "username": u.Username, "language": u.LanguageCode} {
		if v != "" {
			meta[k] = v
		}
	}
	raw, _ := json.Marshal(meta)
	return raw
}

// messageItem turns a user's message into the CSML event the bot gets.
func messageItem(id string, m message) (channel.Item, bool) {
	it := channel.Item{Kind: channel.ItemMessage, UserID: strconv.FormatInt(m.Chat.ID, 10), ID: id, At: time.Unix(m.Date, 0).UTC()}
	if m.From != nil {
		if m.From.IsBot {
			return it, false
		}
		it.Metadata = metadata(*m.From)
	}
	content := map[string]any{}
	ct := ""
	var f *file
	switch {
	case m.Text != "":
		ct, content["text"] = "text", m.Text
	case len(m.Photo) > 0:
		ct, f = "image", &m.Photo[len(m.Photo)-1] // the largest size is last
	case m.Document != nil:
		ct, f = "file", m.Document
	case m.Video != nil:
		ct, f = "video", m.Video
	case m.Audio != nil:
		ct, f = "audio", m.Audio
	case m.Voice != nil:
		ct, f = "audio", m.Voice
	case m.Location != nil:
		// CSML has no location event: a map link, with the coordinates.
		ct = "url"
		content["url"] = fmt.Sprintf("https://maps.google.com/?q=%g,%g", m.Location.Latitude, m.Location.Longitude)
		content["latitude"], content["longitude"] = m.Location.Latitude, m.Location.Longitude
	case m.Contact != nil:
		ct, content["text"] = "text", m.Contact.FirstName+" "+m.Contact.PhoneNumber
	default:
		return it, false
	}
	if f != nil {
		if f.FileID == "" {
			return it, false
		}
		it.MediaID = f.FileID
		if f.MimeType != "" {
			content["mime_type"] = f.MimeType
		}
		if f.FileName != "" {
			content["name"] = f.FileName
		}
		if m.Caption != "" {
			content["caption"] = m.Caption
		}
	}
	it.Payload.ContentType = ct
	it.Payload.Content, _ = json.Marshal(content)
	return it, true
}

// WebhookReply answers a button press in the webhook's answer
// (answerCallbackQuery), which stops the spinner the user's app shows on
// the button until the bot answers. Telegram runs it and returns no
// result: a lost answer leaves the spinner until it times out, nothing
// more.
func (c *Conn) WebhookReply(body []byte) any {
	var u update
	if json.Unmarshal(body, &u) != nil || u.CallbackQuery == nil || u.CallbackQuery.ID == "" {
		return nil
	}
	return map[string]any{"method": "answerCallbackQuery", "callback_query_id": u.CallbackQuery.ID}
}
