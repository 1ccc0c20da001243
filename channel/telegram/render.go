package telegram

import (
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/channel"
)

// Telegram's limits (shared/spec/channels.md §4.3).
const (
	maxText    = 4096
	maxCaption = 1024
	// maxButtons and maxButtonText are switchboard's choice: Telegram does
	// not document a keyboard's size (about 100 buttons) and cuts long
	// labels on screen, so more or longer choices become numbered text.
	maxButtons    = 10
	maxButtonText = 40
	// maxData is callback_data's bound, in bytes.
	maxData = 64
)

// Limits are Telegram's: an inline keyboard, one button a row, and
// callback_data within 64 bytes (a longer payload is kept server-side and
// the button carries a reference).
func (c *Conn) Limits() channel.Limits {
	return channel.Limits{MaxButtons: maxButtons, ButtonTitle: maxButtonText, IDLen: maxData, IDBytes: maxData, TextLen: maxText}
}

// Window: a Telegram bot may write to a user at any time.
func (c *Conn) Window() time.Duration { return 0 }

// obj is a JSON object of a request body.
type obj = map[string]any

// Render turns a component into Bot API calls: Native.Kind is the method
// (sendMessage, sendPhoto, sendChatAction, ...), Body its parameters
// without chat_id, which Send adds.
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	var out []channel.Native
	text := func(s string) {
		for _, part := range channel.SplitText(s, maxText) {
			if strings.TrimSpace(part) != "" {
				out = append(out, channel.Native{Kind: "sendMessage", Body: obj{"text": part}})
			}
		}
	}
	switch comp.Kind {
	case "text":
		text(agentLine(o.Message, comp.Text))
	case "question", "card":
		out = append(out, choices(comp)...)
	case "carousel":
		for _, card := range comp.Cards {
			out = append(out, choices(card)...)
		}
	case "image", "video", "audio", "file":
		out = append(out, mediaNative(comp.Kind, comp.URL, comp.Text))
	case "url":
		line := comp.URL
		if comp.Text != "" && comp.Text != comp.URL {
			line = comp.Text + "\n" + comp.URL
		}
		text(line)
	case "typing":
		out = append(out, channel.Native{Kind: "sendChatAction", Body: obj{"action": "typing"}})
	default:
		text(comp.Text)
	}
	return out, nil
}

// agentLine puts an agent's name above their text, as Telegram shows only
// the bot's.
func agentLine(m switchboard.Message, text string) string {
	if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != "" && text != "" {
		return m.Sender.Name + ":\n" + text
	}
	return text
}

// choices renders a question or a card: its image first, then its text
// with an inline keyboard of one button a row (or numbered choices).
func choices(comp channel.Component) []channel.Native {
	var out []channel.Native
	if comp.Image != "" {
		out = append(out, mediaNative("image", comp.Image, ""))
	}
	body := strings.TrimSpace(comp.Text + "\n" + comp.Subtitle)
	switch comp.Menu {
	case channel.MenuNone:
	case channel.MenuButtons:
		if body == "" {
			body = "Choose one:"
		}
		parts := channel.SplitText(body, maxText)
		for _, p := range parts[:len(parts)-1] {
			out = append(out, channel.Native{Kind: "sendMessage", Body: obj{"text": p}})
		}
		var rows [][]obj
		for _, b := range comp.Buttons {
			rows = append(rows, []obj{{"text": b.Title, "callback_data": b.ID}})
		}
		return append(out, channel.Native{Kind: "sendMessage", Body: obj{"text": parts[len(parts)-1], "reply_markup": obj{"inline_keyboard": rows}}})
	default:
		body = channel.NumberedText(body, comp.Buttons)
	}
	for _, p := range channel.SplitText(body, maxText) {
		if strings.TrimSpace(p) != "" {
			out = append(out, channel.Native{Kind: "sendMessage", Body: obj{"text": p}})
		}
	}
	return out
}

// mediaMethods are the method and its file parameter by component kind.
var mediaMethods = map[string][2]string{
	"image": {"sendPhoto", "photo"}, "video": {"sendVideo", "video"}, "audio": {"sendAudio", "audio"}, "file": {"sendDocument", "document"},
}

// mediaNative sends a file by its URL, which Telegram fetches (photos up
// to 5 MB, other files up to 20 MB), with a caption.
func mediaNative(kind, link, caption string) channel.Native {
	m, ok := mediaMethods[kind]
	if !ok {
		m = mediaMethods["file"]
	}
	method, field := m[0], m[1]
	body := obj{field: link}
	if caption != "" {
		if utf8.RuneCountInString(caption) > maxCaption {
			caption = string([]rune(caption)[:maxCaption-1]) + "…"
		}
		body["caption"] = caption
	}
	return channel.Native{Kind: method, Body: body}
}
