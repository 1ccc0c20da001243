package whatsapp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/channel"
	"switchboard/channel/meta"
)

// Handshake answers Meta's GET verification (package meta).
func (c *Conn) Handshake(q url.Values) (string, error) { return meta.Handshake(q, c.s.VerifyToken) }

// Verify checks X-Hub-Signature-256 on the raw body (package meta).
func (c *Conn) Verify(h http.Header, body []byte) error { return meta.Verify(h, body, c.s.AppSecret) }

// The envelope Meta posts (the parts the channel reads).
type (
	envelope struct {
		Object string `json:"object"`
		Entry  []struct {
			Changes []struct {
				Field string `json:"field"`
				Value value  `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	value struct {
		Metadata struct {
			PhoneNumberID string `json:"phone_number_id"`
		} `json:"metadata"`
		Contacts []struct {
			Profile struct {
				Name string `json:"name"`
			} `json:"profile"`
			WaID string `json:"wa_id"`
		} `json:"contacts"`
		Messages []message  `json:"messages"`
		Statuses []status   `json:"statuses"`
		Errors   []apiError `json:"errors"`
	}
	message struct {
		From        string                `json:"from"`
		ID          string                `json:"id"`
		Timestamp   string                `json:"timestamp"`
		Type        string                `json:"type"`
		Text        struct{ Body string } `json:"text"`
		Interactive struct {
			Type        string `json:"type"`
			ButtonReply reply  `json:"button_reply"`
			ListReply   reply  `json:"list_reply"`
		} `json:"interactive"`
		Button struct {
			Payload string `json:"payload"`
			Text    string `json:"text"`
		} `json:"button"`
		Image    *media `json:"image"`
		Video    *media `json:"video"`
		Audio    *media `json:"audio"`
		Document *media `json:"document"`
		Sticker  *media `json:"sticker"`
		Location *struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
			Name      string  `json:"name"`
			Address   string  `json:"address"`
		} `json:"location"`
	}
	reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	media struct {
		ID       string `json:"id"`
		MimeType string `json:"mime_type"`
		Caption  string `json:"caption"`
		Filename string `json:"filename"`
	}
	status struct {
		ID          string     `json:"id"`
		Status      string     `json:"status"`
		Timestamp   string     `json:"timestamp"`
		RecipientID string     `json:"recipient_id"`
		Errors      []apiError `json:"errors"`
	}
	apiError struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	}
)

// codeWindow is Meta's error for a free-form message after the 24-hour
// window ("Re-engagement message").
const codeWindow = 131047

func (e apiError) String() string {
	s := fmt.Sprintf("(#%d) %s", e.Code, e.Title)
	if e.ErrorData.Details != "" {
		s += ": " + e.ErrorData.Details
	}
	return s
}

// Parse reads every entry, change, message and status of a delivery, for
// this channel's number; a message type the channel does not take
// (reactions, contacts, unsupported) is skipped.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("whatsapp: the body is not Meta's JSON: %w", err)
	}
	if env.Object != "whatsapp_business_account" {
		return nil, fmt.Errorf("whatsapp: object is %q, not whatsapp_business_account: subscribe the app to the WhatsApp Business Account's messages field", env.Object)
	}
	var items []channel.Item
	for _, e := range env.Entry {
		for _, ch := range e.Changes {
			v := ch.Value
			if ch.Field != "messages" || v.Metadata.PhoneNumberID != c.s.PhoneNumberID {
				continue // another field, or another number of the same app
			}
			names := map[string]string{}
			for _, ct := range v.Contacts {
				names[ct.WaID] = ct.Profile.Name
			}
			for _, m := range v.Messages {
				if it, ok := messageItem(m, names[m.From]); ok {
					items = append(items, it)
				}
			}
			for _, s := range v.Statuses {
				items = append(items, statusItem(s))
			}
		}
	}
	return items, nil
}

// unixTime reads Meta's timestamps: strings of Unix seconds.
func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// messageItem turns a user's message into the CSML event the bot gets.
func messageItem(m message, name string) (channel.Item, bool) {
	meta := map[string]string{"whatsapp_id": m.From, "phone": "+" + m.From}
	if name != "" {
		meta["name"] = name
	}
	metaRaw, _ := json.Marshal(meta)
	it := channel.Item{Kind: channel.ItemMessage, UserID: m.From, ID: m.ID, At: unixTime(m.Timestamp), Metadata: metaRaw}
	content := map[string]any{}
	ct := ""
	switch m.Type {
	case "text":
		ct, content["text"] = "text", m.Text.Body
	case "interactive":
		r := m.Interactive.ButtonReply
		if m.Interactive.Type == "list_reply" {
			r = m.Interactive.ListReply
		}
		ct, content["payload"], content["title"] = "payload", r.ID, r.Title
	case "button": // a template's quick-reply button
		ct, content["payload"], content["title"] = "payload", m.Button.Payload, m.Button.Text
	case "image", "video", "audio", "document", "sticker":
		md := map[string]*media{"image": m.Image, "video": m.Video, "audio": m.Audio, "document": m.Document, "sticker": m.Sticker}[m.Type]
		if md == nil || md.ID == "" {
			return it, false
		}
		ct = map[string]string{"document": "file", "sticker": "image"}[m.Type]
		if ct == "" {
			ct = m.Type
		}
		content["mime_type"] = md.MimeType
		if md.Caption != "" {
			content["caption"] = md.Caption
		}
		if md.Filename != "" {
			content["name"] = md.Filename
		}
		it.MediaID = md.ID
	case "location":
		l := m.Location
		if l == nil {
			return it, false
		}
		// CSML has no location event: a map link, with the coordinates.
		ct = "url"
		content["url"] = fmt.Sprintf("https://maps.google.com/?q=%g,%g", l.Latitude, l.Longitude)
		content["latitude"], content["longitude"] = l.Latitude, l.Longitude
		if l.Name != "" {
			content["name"] = l.Name
		}
		if l.Address != "" {
			content["address"] = l.Address
		}
	default:
		return it, false
	}
	it.Payload.ContentType = ct
	it.Payload.Content, _ = json.Marshal(content)
	return it, true
}

// statusItem turns a receipt into an item; a failure keeps Meta's error.
func statusItem(s status) channel.Item {
	it := channel.Item{Kind: channel.ItemStatus, UserID: s.RecipientID, ID: s.ID, At: unixTime(s.Timestamp), Status: s.Status}
	var errs []string
	for _, e := range s.Errors {
		errs = append(errs, e.String())
		if e.Code == codeWindow {
			it.WindowClosed = true
		}
	}
	it.Error = strings.Join(errs, "; ")
	return it
}
