package twilio

import (
	"strings"
	"time"

	"switchboard"
	"switchboard/channel"
)

// maxBody is the longest Body Twilio takes (error 21617 beyond).
const maxBody = 1600

// Message is one SMS to send: its text and media links (MMS), and the
// segments the text is billed as.
type Message struct {
	Body     string   `json:"body"`
	MediaURL []string `json:"media_url,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Segments int      `json:"segments,omitempty"`
}

// Limits: SMS has no buttons or lists; the layer numbers them.
func (c *Conn) Limits() channel.Limits { return channel.Limits{TextLen: maxBody} }

// Window is none: SMS may be sent at any time (STOP aside).
func (c *Conn) Window() time.Duration { return 0 }

// Render turns a component into SMS: text (buttons numbered, a reply of
// the number selects one), media as MMS links, a url as text; typing and
// the rest with no text send nothing.
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	var out []channel.Native
	text := func(s string, media ...string) {
		for i, part := range channel.SplitText(s, maxBody) {
			if strings.TrimSpace(part) == "" && (i > 0 || len(media) == 0) {
				continue
			}
			m := Message{Body: part}
			if i == 0 {
				m.MediaURL = media
			}
			m.Encoding, m.Segments = Segments(part)
			out = append(out, channel.Native{Kind: "sms", Body: m})
		}
	}
	choices := func(c channel.Component, media ...string) {
		body := strings.TrimSpace(c.Text + "\n" + c.Subtitle)
		if c.Menu == channel.MenuNumbered {
			body = channel.NumberedText(body, c.Buttons)
		}
		text(body, media...)
	}
	switch comp.Kind {
	case "text":
		text(agentLine(o.Message, comp.Text))
	case "question":
		choices(comp)
	case "card":
		choices(comp, mediaOf(comp.Image)...)
	case "carousel":
		for _, card := range comp.Cards {
			choices(card, mediaOf(card.Image)...)
		}
	case "image", "video", "audio", "file":
		text(comp.Text, comp.URL)
	case "url":
		line := comp.URL
		if comp.Text != "" && comp.Text != comp.URL {
			line = comp.Text + "\n" + comp.URL
		}
		text(line)
	case "typing":
	default:
		if comp.Text != "" {
			text(comp.Text)
		}
	}
	return out, nil
}

func mediaOf(u string) []string {
	if u == "" {
		return nil
	}
	return []string{u}
}

// agentLine puts an agent's name before their text: an SMS shows only the
// number.
func agentLine(m switchboard.Message, text string) string {
	if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != "" && text != "" {
		return m.Sender.Name + ": " + text
	}
	return text
}
