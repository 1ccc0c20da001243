package messenger

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
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
			ID        string  `json:"id"`
			Messaging []event `json:"messaging"`
			// Standby are the events of threads another app owns: that
			// app answers them, not this one.
			Standby []event `json:"standby"`
		} `json:"entry"`
	}
	event struct {
		Sender    struct{ ID string } `json:"sender"`
		Recipient struct{ ID string } `json:"recipient"`
		Timestamp int64               `json:"timestamp"`
		Message   *struct {
			MID        string `json:"mid"`
			Text       string `json:"text"`
			IsEcho     bool   `json:"is_echo"`
			IsDeleted  bool   `json:"is_deleted"`
			QuickReply *struct {
				Payload string `json:"payload"`
			} `json:"quick_reply"`
			Attachments []struct {
				Type    string `json:"type"`
				Payload struct {
					URL string `json:"url"`
				} `json:"payload"`
			} `json:"attachments"`
		} `json:"message"`
		Postback *struct {
			MID     string `json:"mid"`
			Title   string `json:"title"`
			Payload string `json:"payload"`
		} `json:"postback"`
		Delivery *struct {
			MIDs []string `json:"mids"`
		} `json:"delivery"`
		Read *struct {
			MID string `json:"mid"`
		} `json:"read"`
	}
)

// Parse reads every entry's messaging events for this channel's page or
// account. Echoes (what a page sends, from this app or Meta's inbox),
// standby events (threads another app owns), edits, reactions, handover
// notices and Messenger's read watermarks (they name no message) are
// skipped.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%s: the body is not Meta's JSON: %w", c.v.typ, err)
	}
	if env.Object != c.v.object {
		return nil, fmt.Errorf("%s: object is %q, not %s: subscribe the app to the %s webhook", c.v.typ, env.Object, c.v.object, c.v.object)
	}
	var items []channel.Item
	for _, e := range env.Entry {
		if e.ID != *c.s.account(c.v) {
			continue // another page or account of the same app
		}
		for _, ev := range e.Messaging {
			items = append(items, c.eventItems(ev)...)
		}
	}
	return items, nil
}

// eventItems turns one messaging event into items.
func (c *Conn) eventItems(ev event) []channel.Item {
	at := time.UnixMilli(ev.Timestamp).UTC()
	user := ev.Sender.ID
	meta, _ := json.Marshal(map[string]string{c.v.userField: user})
	msg := func(id, ct string, content map[string]any) channel.Item {
		raw, _ := json.Marshal(content)
		return channel.Item{Kind: channel.ItemMessage, UserID: user, ID: id, At: at, Metadata: meta, Payload: payloadOf(ct, raw)}
	}
	switch {
	case ev.Message != nil:
		m := ev.Message
		switch {
		case m.IsEcho || m.IsDeleted:
			return nil
		case m.QuickReply != nil:
			return []channel.Item{msg(m.MID, "payload", map[string]any{"payload": m.QuickReply.Payload, "title": m.Text})}
		case len(m.Attachments) > 0:
			var out []channel.Item
			for i, a := range m.Attachments {
				id := m.MID
				if i > 0 {
					id += "#" + strconv.Itoa(i+1)
				}
				if it, ok := attachmentItem(msg(id, "", nil), a.Type, a.Payload.URL, i, m.MID); ok {
					out = append(out, it)
				}
			}
			return out
		case m.Text != "":
			return []channel.Item{msg(m.MID, "text", map[string]any{"text": m.Text})}
		}
	case ev.Postback != nil:
		p := ev.Postback
		id := p.MID
		if id == "" { // older postbacks carry no mid
			id = fmt.Sprintf("postback:%s:%d", user, ev.Timestamp)
		}
		return []channel.Item{msg(id, "payload", map[string]any{"payload": p.Payload, "title": p.Title})}
	case ev.Delivery != nil:
		var out []channel.Item
		for _, mid := range ev.Delivery.MIDs {
			out = append(out, channel.Item{Kind: channel.ItemStatus, UserID: user, ID: mid, At: at, Status: "delivered"})
		}
		return out
	case ev.Read != nil && ev.Read.MID != "":
		return []channel.Item{{Kind: channel.ItemStatus, UserID: user, ID: ev.Read.MID, At: at, Status: "read"}}
	}
	return nil
}

// attachmentItem makes the event of the i-th attachment of message mid: a
// file the layer serves from MediaID, or a link for shares and the like.
func attachmentItem(it channel.Item, kind, link string, i int, mid string) (channel.Item, bool) {
	content := map[string]any{}
	ct := ""
	switch kind {
	case "image", "video", "audio", "file":
		ct = kind
		it.MediaID = strconv.Itoa(i) + ":" + mid
	default: // fallback, share, story_mention, reel, template...
		if link == "" {
			return it, false
		}
		ct = "url"
		content["url"] = link
	}
	raw, _ := json.Marshal(content)
	it.Payload = payloadOf(ct, raw)
	return it, true
}

func payloadOf(ct string, content json.RawMessage) switchboard.Payload {
	return switchboard.Payload{ContentType: ct, Content: content}
}
