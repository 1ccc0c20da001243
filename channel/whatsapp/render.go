package whatsapp

import (
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/channel"
)

// WhatsApp's limits (shared/spec/channels.md §1.3).
const (
	maxText       = 4096
	maxBody       = 1024 // an interactive message's body, a caption
	maxButtons    = 3
	maxButtonText = 20
	maxRows       = 10
	maxRowText    = 24
	maxRowID      = 200
	// listButton opens a list (at most 20 characters).
	listButton = "Choose"
	// chooseBody is the body of buttons whose question has no title, or
	// one too long for a body (sent as text before them).
	chooseBody = "Choose one:"
)

// Limits are WhatsApp's interactive limits.
func (c *Conn) Limits() channel.Limits {
	return channel.Limits{MaxButtons: maxButtons, ButtonTitle: maxButtonText, MaxRows: maxRows, RowTitle: maxRowText, IDLen: maxRowID, TextLen: maxText}
}

// Window is WhatsApp's customer service window.
func (c *Conn) Window() time.Duration { return 24 * time.Hour }

// obj is a JSON object of a request body.
type obj = map[string]any

// Render turns a component into WhatsApp messages: see the table in
// docs/architecture.md's "Messaging channels" and the package channel's
// fallbacks (buttons → list → numbered text).
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	var out []channel.Native
	text := func(s string) {
		for _, part := range channel.SplitText(s, maxText) {
			if strings.TrimSpace(part) == "" {
				continue
			}
			out = append(out, channel.Native{Kind: "text", Body: obj{"type": "text", "text": obj{"body": part, "preview_url": strings.Contains(part, "https://")}}})
		}
	}
	switch comp.Kind {
	case "text":
		text(agentLine(o.Message, comp.Text))
	case "question":
		out = append(out, c.choices(comp, "")...)
	case "card":
		out = append(out, c.card(comp)...)
	case "carousel":
		for _, card := range comp.Cards {
			out = append(out, c.card(card)...)
		}
	case "image", "video", "audio", "file":
		out = append(out, mediaNative(comp))
	case "url":
		line := comp.URL
		if comp.Text != "" && comp.Text != comp.URL {
			line = comp.Text + "\n" + comp.URL
		}
		text(line)
	case "typing":
		if o.ReplyTo != "" {
			out = append(out, channel.Native{Kind: "typing", Body: obj{"status": "read", "message_id": o.ReplyTo, "typing_indicator": obj{"type": "text"}}})
		}
	default:
		text(comp.Text)
	}
	return out, nil
}

// agentLine puts an agent's name above their text, as WhatsApp shows only
// the business's.
func agentLine(m switchboard.Message, text string) string {
	if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != "" && text != "" {
		return "*" + m.Sender.Name + "*\n" + text
	}
	return text
}

// choices renders a component's text and buttons in its menu; header is
// an image for the reply buttons of a card.
func (c *Conn) choices(comp channel.Component, header string) []channel.Native {
	var out []channel.Native
	body := comp.Text
	if comp.Subtitle != "" {
		body = strings.TrimSpace(body + "\n" + comp.Subtitle)
	}
	if comp.Menu == channel.MenuNone || comp.Menu == channel.MenuNumbered {
		if comp.Menu == channel.MenuNumbered {
			body = channel.NumberedText(body, comp.Buttons)
		}
		for _, part := range channel.SplitText(body, maxText) {
			out = append(out, channel.Native{Kind: "text", Body: obj{"type": "text", "text": obj{"body": part}}})
		}
		return out
	}
	if body == "" || utf8.RuneCountInString(body) > maxBody {
		if body != "" {
			for _, part := range channel.SplitText(body, maxText) {
				out = append(out, channel.Native{Kind: "text", Body: obj{"type": "text", "text": obj{"body": part}}})
			}
		}
		body = chooseBody
	}
	if comp.Menu == channel.MenuButtons {
		var bs []obj
		for _, b := range comp.Buttons {
			bs = append(bs, obj{"type": "reply", "reply": obj{"id": b.ID, "title": b.Title}})
		}
		inter := obj{"type": "button", "body": obj{"text": body}, "action": obj{"buttons": bs}}
		if header != "" {
			inter["header"] = obj{"type": "image", "image": obj{"link": header}}
		}
		return append(out, channel.Native{Kind: "buttons", Body: obj{"type": "interactive", "interactive": inter}})
	}
	var rows []obj
	for _, b := range comp.Buttons {
		rows = append(rows, obj{"id": b.ID, "title": b.Title})
	}
	inter := obj{"type": "list", "body": obj{"text": body}, "action": obj{"button": listButton, "sections": []obj{{"rows": rows}}}}
	return append(out, channel.Native{Kind: "list", Body: obj{"type": "interactive", "interactive": inter}})
}

// card renders a card: its buttons under its image (a reply buttons
// header), or the image first and then its choices.
func (c *Conn) card(card channel.Component) []channel.Native {
	if card.Menu == channel.MenuButtons {
		return c.choices(card, card.Image)
	}
	var out []channel.Native
	if card.Image != "" {
		caption := strings.TrimSpace(card.Text + "\n" + card.Subtitle)
		if card.Menu != channel.MenuNone {
			caption = ""
		}
		out = append(out, mediaNative(channel.Component{Kind: "image", URL: card.Image, Text: caption}))
		if card.Menu == channel.MenuNone {
			return out
		}
	}
	return append(out, c.choices(card, "")...)
}

// mediaNative sends a file by its link; a caption where WhatsApp takes one.
func mediaNative(comp channel.Component) channel.Native {
	kind := map[string]string{"file": "document"}[comp.Kind]
	if kind == "" {
		kind = comp.Kind
	}
	m := obj{"link": comp.URL}
	if comp.Text != "" && kind != "audio" {
		m["caption"] = truncate(comp.Text, maxBody)
	}
	if kind == "document" && comp.Name != "" {
		m["filename"] = comp.Name
	}
	return channel.Native{Kind: kind, Body: obj{"type": kind, kind: m}}
}

// truncate cuts s to max characters, marking the cut.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max-1]) + "…"
}
