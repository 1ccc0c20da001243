package chatwoot

import (
	"strings"

	"switchboard/channel"
)

// Chatwoot's bounds: a message's content takes 150,000 characters. The
// widget shows an input_select's options as a list of buttons; the
// bounds on their count and titles are switchboard's, so that every
// option shows whole on a phone (more or longer become numbered text).
const (
	maxText       = 150_000
	maxOptions    = 10
	maxOptionText = 80
	maxValue      = 255
)

// Limits are the widget's input_select.
func (c *Conn) Limits() channel.Limits {
	return channel.Limits{MaxButtons: maxOptions, ButtonTitle: maxOptionText, IDLen: maxValue, TextLen: maxText}
}

// obj is a JSON object of a message's body.
type obj = map[string]any

// Render turns a component into messages of Chatwoot's content types:
// Native.Kind is the content type (text, input_select, cards, article),
// Body the message's fields without message_type, which Send adds.
func (c *Conn) Render(comp channel.Component, _ channel.Outgoing) ([]channel.Native, error) {
	var out []channel.Native
	switch comp.Kind {
	case "question", "card":
		if comp.Image != "" {
			out = append(out, cards([]channel.Component{{Text: comp.Text, Subtitle: comp.Subtitle, Image: comp.Image}}))
			comp.Image = ""
		}
		out = append(out, choices(comp)...)
	case "carousel":
		if len(comp.Cards) > 0 {
			out = append(out, cards(comp.Cards))
		}
		for _, card := range comp.Cards {
			if len(card.Buttons) > 0 {
				out = append(out, choices(channel.Component{Text: card.Text, Buttons: card.Buttons, Menu: card.Menu})...)
			}
		}
	case "image":
		out = append(out, cards([]channel.Component{{Text: comp.Text, Image: comp.URL}}))
	case "url", "video", "audio", "file":
		title := comp.Text
		if title == "" {
			title = comp.Name
		}
		if title == "" {
			title = comp.URL
		}
		out = append(out, channel.Native{Kind: "article", Body: obj{"content": title, "content_type": "article",
			"content_attributes": obj{"items": []obj{{"title": title, "description": "", "link": comp.URL}}}}})
	case "typing", "wait":
		// The agent bot's token may not toggle typing on older versions;
		// the layer already waits the duration.
	default:
		out = append(out, texts(comp.Text)...)
	}
	return out, nil
}

// texts are a text's messages, split at Chatwoot's bound.
func texts(s string) []channel.Native {
	var out []channel.Native
	for _, part := range channel.SplitText(s, maxText) {
		if strings.TrimSpace(part) != "" {
			out = append(out, channel.Native{Kind: "text", Body: obj{"content": part}})
		}
	}
	return out
}

// choices renders a question's buttons as an input_select, whose options
// carry the button's reply id as their value; or as numbered text.
func choices(comp channel.Component) []channel.Native {
	body := strings.TrimSpace(comp.Text + "\n" + comp.Subtitle)
	switch comp.Menu {
	case channel.MenuNone:
		return texts(body)
	case channel.MenuButtons:
		if body == "" {
			body = "Choose one:"
		}
		items := make([]obj, 0, len(comp.Buttons))
		for _, b := range comp.Buttons {
			items = append(items, obj{"title": b.Title, "value": b.ID})
		}
		return []channel.Native{{Kind: "input_select", Body: obj{"content": body, "content_type": "input_select", "content_attributes": obj{"items": items}}}}
	}
	return texts(channel.NumberedText(body, comp.Buttons))
}

// cards renders cards with their images; their buttons follow as an
// input_select, which every inbox shows (a card's postback action is the
// web widget's only).
func cards(cs []channel.Component) channel.Native {
	items := make([]obj, 0, len(cs))
	for _, c := range cs {
		items = append(items, obj{"title": c.Text, "description": c.Subtitle, "media_url": c.Image, "actions": []obj{}})
	}
	return channel.Native{Kind: "cards", Body: obj{"content": cs[0].Text, "content_type": "cards", "content_attributes": obj{"items": items}}}
}
