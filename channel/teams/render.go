package teams

import (
	"encoding/json"
	"mime"
	"net/url"
	"path"
	"strings"
	"time"

	"switchboard/channel"
)

// Teams' limits, as switchboard keeps within them (shared/spec/channels.md
// §6.3).
const (
	// maxText: a bot's message may be about 100 KB counted in UTF-16;
	// Microsoft advises 80 KB. 20,000 characters stay below it even when
	// every one takes two UTF-16 units.
	maxText = 20000
	// maxButtons and maxButtonText are switchboard's choice for a hero
	// card (Teams documents no maximum; more buttons or longer titles
	// become numbered text).
	maxButtons    = 6
	maxButtonText = 50
	// maxPayload bounds the payload a button's value carries; a longer one
	// is kept server-side (a reference).
	maxPayload = 1000
)

// Limits are a hero card's buttons and a message's text.
func (c *Conn) Limits() channel.Limits {
	return channel.Limits{MaxButtons: maxButtons, ButtonTitle: maxButtonText, IDLen: maxPayload, TextLen: maxText}
}

// Window: a bot may write to a conversation it is installed in at any
// time.
func (c *Conn) Window() time.Duration { return 0 }

// obj is a JSON object of an activity.
type obj = map[string]any

// Outbound is one activity to post in a conversation, with where: the
// serviceUrl of the conversation, read from the client's metadata.
type Outbound struct {
	ServiceURL string `json:"service_url"`
	Activity   obj    `json:"activity"`
}

// Render turns a component into activities: Native.Kind is "message" or
// "typing", Body an Outbound.
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	service := serviceURLOf(o.Metadata)
	var out []channel.Native
	add := func(kind string, a obj) {
		a["type"] = kind
		out = append(out, channel.Native{Kind: kind, Body: Outbound{ServiceURL: service, Activity: a}})
	}
	text := func(s string) {
		for _, part := range channel.SplitText(s, maxText) {
			if strings.TrimSpace(part) != "" {
				add("message", obj{"text": part, "textFormat": "plain"})
			}
		}
	}
	switch comp.Kind {
	case "text":
		text(channel.AgentLine(o.Message, comp.Text))
	case "question", "card":
		if comp.Menu == channel.MenuNumbered {
			text(channel.NumberedText(cardText(comp), comp.Buttons))
			break
		}
		add("message", obj{"attachments": []obj{heroCard(comp)}})
	case "carousel":
		var cards []obj
		for _, card := range comp.Cards {
			if card.Menu == channel.MenuNumbered {
				text(channel.NumberedText(cardText(card), card.Buttons))
				continue
			}
			cards = append(cards, heroCard(card))
		}
		if len(cards) > 0 {
			add("message", obj{"attachmentLayout": "carousel", "attachments": cards})
		}
	case "image":
		att := obj{"contentType": imageType(comp.URL), "contentUrl": comp.URL}
		if comp.Name != "" {
			att["name"] = comp.Name
		}
		a := obj{"attachments": []obj{att}}
		if comp.Text != "" {
			a["text"] = comp.Text
		}
		add("message", a)
	case "video", "audio", "file", "url":
		// Files need Teams' consent-card flow: a link is what every scope
		// takes.
		line := comp.URL
		if label := strings.TrimSpace(comp.Text + " " + comp.Name); label != "" && label != comp.URL {
			line = label + "\n" + comp.URL
		}
		text(line)
	case "typing":
		add("typing", obj{})
	default:
		text(comp.Text)
	}
	return out, nil
}

// cardText is a question's or card's text: its title and subtitle.
func cardText(comp channel.Component) string {
	return strings.TrimSpace(comp.Text + "\n" + comp.Subtitle)
}

// heroCard is a question or card as a hero card: its text, its image and a
// messageBack button per choice, whose value carries the choice's id and
// title back (shown in the chat as the title).
func heroCard(comp channel.Component) obj {
	content := obj{}
	if comp.Text != "" {
		content["text"] = comp.Text
	}
	if comp.Subtitle != "" {
		content["subtitle"] = comp.Subtitle
	}
	if comp.Image != "" {
		content["images"] = []obj{{"url": comp.Image}}
	}
	if comp.Menu == channel.MenuButtons {
		var buttons []obj
		for _, b := range comp.Buttons {
			buttons = append(buttons, obj{"type": "messageBack", "title": b.Title, "text": b.Title, "displayText": b.Title, "value": obj{"payload": b.ID, "title": b.Title}})
		}
		content["buttons"] = buttons
	}
	return obj{"contentType": "application/vnd.microsoft.card.hero", "content": content}
}

// imageType is an image's media type by its URL's extension (image/png
// when it has none known): Teams needs one on an image attachment.
func imageType(link string) string {
	u, err := url.Parse(link)
	if err == nil {
		if t := mime.TypeByExtension(strings.ToLower(path.Ext(u.Path))); strings.HasPrefix(t, "image/") {
			return t
		}
	}
	return "image/png"
}

// serviceURLOf reads the serviceUrl of a client's metadata.
func serviceURLOf(meta []byte) string {
	var m struct {
		ServiceURL string `json:"service_url"`
	}
	_ = json.Unmarshal(meta, &m)
	return m.ServiceURL
}
