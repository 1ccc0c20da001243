package slack

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/channel"
)

// Slack's limits (shared/spec/channels.md §5.4).
const (
	// maxText is where a text is split: Slack truncates at 40,000
	// characters and advises at most 4,000.
	maxText = 4000
	// maxSection bounds a section block's text.
	maxSection = 3000
	// maxButtons is an actions block's elements, maxButtonText a button's
	// text, maxValue its value.
	maxButtons, maxButtonText, maxValue = 25, 75, 2000
	// maxAlt bounds an image block's alt_text.
	maxAlt = 2000
)

// Limits are Block Kit's: up to 25 buttons in an actions block, their
// text up to 75 characters and their value up to 2,000; no list (more
// buttons are the layer's numbered text).
func (c *Conn) Limits() channel.Limits {
	return channel.Limits{MaxButtons: maxButtons, ButtonTitle: maxButtonText, IDLen: maxValue, TextLen: maxText}
}

// Window: a Slack app may post at any time while installed.
func (c *Conn) Window() time.Duration { return 0 }

// obj is a JSON object of a request body.
type obj = map[string]any

// Render turns a component into chat.postMessage calls: Native.Body is
// the arguments without channel and thread_ts, which Send adds. Typing
// renders nothing: the Web API has no typing indicator for bots.
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	var out []channel.Native
	switch comp.Kind {
	case "typing":
	case "question", "card":
		out = choices(comp)
	case "carousel":
		for _, card := range comp.Cards {
			out = append(out, choices(card)...)
		}
	case "image":
		out = append(out, imageNative(comp.URL, comp.Text))
	case "video", "audio", "file":
		label := comp.Text
		if label == "" {
			label = comp.Name
		}
		out = texts(link(comp.URL, label))
	case "url":
		out = texts(link(comp.URL, comp.Text))
	default:
		out = texts(signed(o.Message, escape(comp.Text)))
	}
	return out, nil
}

// signed puts an agent's name, in bold, above their text: the messages
// all come from the bot's user.
func signed(m switchboard.Message, text string) string {
	if m.Sender.Kind != switchboard.SenderAgent || m.Sender.Name == "" || text == "" {
		return text
	}
	return "*" + escape(m.Sender.Name) + "*\n" + text
}

// escape escapes what Slack's text reads as markup: &, < and >.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// link is a mrkdwn link to an http(s) URL with label; anything else is
// escaped text, so that a URL cannot be a mention (<!channel>).
func link(u, label string) string {
	web := strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
	switch {
	case u == "":
		return escape(label)
	case !web || label == "" || label == u || strings.ContainsAny(u, "|<> "):
		return escape(strings.TrimSpace(label + "\n" + u))
	}
	return "<" + u + "|" + escape(label) + ">"
}

// texts are text messages of s, split at maxText.
func texts(s string) []channel.Native {
	var out []channel.Native
	for _, part := range channel.SplitText(s, maxText) {
		if strings.TrimSpace(part) != "" {
			out = append(out, channel.Native{Kind: "text", Body: obj{"text": part}})
		}
	}
	return out
}

// imageNative is an image block of a public URL, with its title as the
// alt text and the notification's text.
func imageNative(u, title string) channel.Native {
	alt := title
	if alt == "" {
		alt = "image"
	}
	if utf8.RuneCountInString(alt) > maxAlt {
		alt = string([]rune(alt)[:maxAlt-1]) + "…"
	}
	block := obj{"type": "image", "image_url": u, "alt_text": alt}
	fallback := title
	if fallback == "" {
		fallback = u
	}
	return channel.Native{Kind: "image", Body: obj{"text": escape(fallback), "blocks": []obj{block}}}
}

// choices renders a question or a card: its image, then its text with an
// actions block of its buttons (or the layer's numbered choices).
func choices(comp channel.Component) []channel.Native {
	var out []channel.Native
	if comp.Image != "" {
		out = append(out, imageNative(comp.Image, comp.Text))
	}
	body := escape(strings.TrimSpace(comp.Text + "\n" + comp.Subtitle))
	if comp.Menu != channel.MenuButtons {
		if comp.Menu != channel.MenuNone {
			body = channel.NumberedText(body, escapedTitles(comp.Buttons))
		}
		return append(out, texts(body)...)
	}
	if body == "" {
		body = "Choose one:"
	}
	parts := channel.SplitText(body, maxSection)
	for _, p := range parts[:len(parts)-1] {
		out = append(out, channel.Native{Kind: "text", Body: obj{"text": p}})
	}
	last := parts[len(parts)-1]
	var buttons []obj
	for _, b := range comp.Buttons {
		buttons = append(buttons, obj{"type": "button", "action_id": "choice_" + strconv.Itoa(b.Number), "value": b.ID,
			"text": obj{"type": "plain_text", "text": b.Title, "emoji": true}})
	}
	blocks := []obj{
		{"type": "section", "text": obj{"type": "mrkdwn", "text": last}},
		{"type": "actions", "elements": buttons},
	}
	return append(out, channel.Native{Kind: "buttons", Body: obj{"text": last, "blocks": blocks}})
}

// escapedTitles are buttons with their titles escaped for mrkdwn.
func escapedTitles(bs []channel.Button) []channel.Button {
	out := make([]channel.Button, len(bs))
	for i, b := range bs {
		b.Title = escape(b.Title)
		out[i] = b
	}
	return out
}
