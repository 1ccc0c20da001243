package messenger

import (
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/channel"
)

// The Send API's limits (shared/spec/channels.md §2.3, §3.3).
const (
	maxQuickReplies  = 13
	maxTitle         = 20 // a quick reply's or a button's title
	maxPayload       = 1000
	maxTemplateText  = 640 // a button template's text
	maxTemplateBtns  = 3
	maxElements      = 10 // a generic template's
	maxElementText   = 80 // an element's title and subtitle
	chooseText       = "Choose one:"
	humanAgentWindow = 7 * 24 * time.Hour
)

// Limits: Messenger shows up to 3 buttons as a button template and up to
// 13 as quick replies; Instagram shows quick replies only.
func (c *Conn) Limits() channel.Limits {
	if !c.v.buttonTemplate {
		return channel.Limits{MaxButtons: maxQuickReplies, ButtonTitle: maxTitle, IDLen: maxPayload, TextLen: c.v.maxText}
	}
	return channel.Limits{MaxButtons: maxTemplateBtns, ButtonTitle: maxTitle, MaxRows: maxQuickReplies, RowTitle: maxTitle, IDLen: maxPayload, TextLen: c.v.maxText}
}

// Window is Meta's standard messaging window.
func (c *Conn) Window() time.Duration { return 24 * time.Hour }

// AgentWindow is the HUMAN_AGENT tag's 7 days, when the page is approved
// for it.
func (c *Conn) AgentWindow() (time.Duration, string) {
	if c.s.HumanAgentTag {
		return humanAgentWindow, "an agent may answer up to 7 days after it with Meta's HUMAN_AGENT tag, and that has passed too or Meta refused the tag"
	}
	return 0, "an agent could answer up to 7 days after it with Meta's HUMAN_AGENT tag, once the app is approved for Human Agent and the channel's human_agent_tag setting is on"
}

// obj is a JSON object of a request body.
type obj = map[string]any

// message makes a native message; late ones go as a person's answer.
func message(kind string, m obj, late bool) channel.Native {
	body := obj{"messaging_type": "RESPONSE", "message": m}
	if late {
		body["messaging_type"], body["tag"] = "MESSAGE_TAG", "HUMAN_AGENT"
	}
	return channel.Native{Kind: kind, Body: body}
}

// Render turns a component into Send API requests: see the table in
// docs/architecture.md's "Messaging channels".
func (c *Conn) Render(comp channel.Component, o channel.Outgoing) ([]channel.Native, error) {
	r := renderer{c: c, late: o.Late}
	switch comp.Kind {
	case "text":
		r.text(c.agentLine(o.Message, comp.Text))
	case "question":
		r.choices(strings.TrimSpace(comp.Text+"\n"+comp.Subtitle), comp.Buttons, comp.Menu)
	case "card":
		r.cards([]channel.Component{comp})
	case "carousel":
		r.cards(comp.Cards)
	case "image", "video", "audio", "file":
		r.text(comp.Text)
		r.attachment(comp.Kind, comp.URL)
	case "url":
		line := comp.URL
		if comp.Text != "" && comp.Text != comp.URL {
			line = comp.Text + "\n" + comp.URL
		}
		r.text(line)
	case "typing":
		r.out = append(r.out, channel.Native{Kind: "typing", Body: obj{"sender_action": "typing_on"}})
	default:
		r.text(comp.Text)
	}
	return r.out, nil
}

// agentLine puts an agent's name above their text, as Messenger shows only
// the page's.
func (c *Conn) agentLine(m switchboard.Message, text string) string {
	if m.Sender.Kind != switchboard.SenderAgent || m.Sender.Name == "" || text == "" {
		return text
	}
	if c.v.textBytes { // Instagram shows no bold
		return m.Sender.Name + ":\n" + text
	}
	return "*" + m.Sender.Name + "*\n" + text
}

// renderer gathers the native messages of one component.
type renderer struct {
	c    *Conn
	late bool
	out  []channel.Native
}

func (r *renderer) add(kind string, m obj) { r.out = append(r.out, message(kind, m, r.late)) }

// text adds a text, split to the platform's limit.
func (r *renderer) text(s string) {
	for _, part := range r.c.split(s) {
		if strings.TrimSpace(part) != "" {
			r.add("text", obj{"text": part})
		}
	}
}

// split cuts a text to the platform's limit: characters on Messenger,
// UTF-8 bytes on Instagram.
func (c *Conn) split(s string) []string {
	if !c.v.textBytes {
		return channel.SplitText(s, c.v.maxText)
	}
	var out []string
	for len(s) > c.v.maxText {
		// As many characters as fit in the bytes, cut where SplitText cuts.
		n, size := 0, 0
		for _, r := range s {
			if size+utf8.RuneLen(r) > c.v.maxText {
				break
			}
			size += utf8.RuneLen(r)
			n++
		}
		piece := channel.SplitText(s, n)[0]
		out = append(out, piece)
		s = strings.TrimLeft(strings.TrimPrefix(s, piece), " \n")
	}
	return append(out, s)
}

// choices adds a text with buttons in their menu: a button template of
// postbacks, quick replies, or numbered text.
func (r *renderer) choices(text string, bs []channel.Button, menu channel.Menu) {
	switch {
	case menu == channel.MenuNone:
		r.text(text)
		return
	case menu == channel.MenuNumbered:
		r.text(channel.NumberedText(text, bs))
		return
	}
	quick := menu == channel.MenuList || !r.c.v.buttonTemplate
	limit := maxTemplateText
	if quick {
		limit = r.c.v.maxText
	}
	if text == "" || r.c.tooLong(text, limit) {
		r.text(text)
		text = chooseText
	}
	if quick {
		var qs []obj
		for _, b := range bs {
			qs = append(qs, obj{"content_type": "text", "title": b.Title, "payload": b.ID})
		}
		r.add("quick_replies", obj{"text": text, "quick_replies": qs})
		return
	}
	r.add("buttons", obj{"attachment": obj{"type": "template", "payload": obj{"template_type": "button", "text": text, "buttons": postbacks(bs)}}})
}

// tooLong reports whether s is over limit as the platform counts.
func (c *Conn) tooLong(s string, limit int) bool {
	if c.v.textBytes {
		return len(s) > limit
	}
	return utf8.RuneCountInString(s) > limit
}

func postbacks(bs []channel.Button) []obj {
	var out []obj
	for _, b := range bs {
		out = append(out, obj{"type": "postback", "title": b.Title, "payload": b.ID})
	}
	return out
}

// cards adds cards as one generic template when they all fit one (titles
// and subtitles within 80 characters, buttons as postbacks), else each as
// its image and its choices.
func (r *renderer) cards(cards []channel.Component) {
	fits := len(cards) > 0 && len(cards) <= maxElements
	for _, card := range cards {
		fits = fits && card.Text != "" && utf8.RuneCountInString(card.Text) <= maxElementText && utf8.RuneCountInString(card.Subtitle) <= maxElementText &&
			(card.Menu == channel.MenuNone || card.Menu == channel.MenuButtons && len(card.Buttons) <= maxTemplateBtns)
	}
	if !fits {
		for _, card := range cards {
			if card.Image != "" {
				r.attachment("image", card.Image)
			}
			r.choices(strings.TrimSpace(card.Text+"\n"+card.Subtitle), card.Buttons, card.Menu)
		}
		return
	}
	var els []obj
	for _, card := range cards {
		el := obj{"title": card.Text}
		if card.Subtitle != "" {
			el["subtitle"] = card.Subtitle
		}
		if card.Image != "" {
			el["image_url"] = card.Image
		}
		if len(card.Buttons) > 0 {
			el["buttons"] = postbacks(card.Buttons)
		}
		els = append(els, el)
	}
	r.add("cards", obj{"attachment": obj{"type": "template", "payload": obj{"template_type": "generic", "elements": els}}})
}

// attachment adds a file by its URL.
func (r *renderer) attachment(kind, link string) {
	if link == "" {
		return
	}
	r.add(kind, obj{"attachment": obj{"type": kind, "payload": obj{"url": link, "is_reusable": false}}})
}
