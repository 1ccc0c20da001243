package channel

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
)

// Component is a CSML component for the user, read from a stored
// message's payload: what the webapp renders, in a shape drivers render.
type Component struct {
	// Kind is the content type: text, question, card, carousel, image,
	// video, audio, file, url, typing, wait (others are rendered as text
	// when they carry one, else skipped).
	Kind string
	// Text is a text's text, a question's or card's title, a url's text.
	Text     string
	Subtitle string
	URL      string
	// Image is a card's image_url.
	Image string
	Name  string
	// Buttons of a question or card; their Number counts across a
	// carousel's cards.
	Buttons []Button
	// Cards of a carousel.
	Cards []Component
	// Duration of typing and wait.
	Duration time.Duration
	// Menu is how the buttons show, chosen by Layout.
	Menu Menu
}

// Button is a choice the user can press.
type Button struct {
	Title   string
	Payload string
	// ID is the reply id the platform carries back when it is pressed: the
	// payload, or when it does not fit (Limits.IDLen) or could be mistaken
	// for a reference, a reference "~<message id>.<number>" that the layer
	// reads back from the history.
	ID string
	// Number is the button's number in the message, from 1: what the user
	// types when the buttons are numbered text.
	Number int
}

// Menu is how a component's buttons show on the platform.
type Menu int

// The menus, from the richest: native reply buttons, a list, numbered
// text (the fallback every platform takes).
const (
	MenuNone Menu = iota
	MenuButtons
	MenuList
	MenuNumbered
)

// refPrefix starts a reply id that refers to a button of a stored message.
const refPrefix = "~"

// ReadComponent reads the component of a stored message for the user, with
// its buttons' ids and its menu chosen for the limits.
func ReadComponent(m switchboard.Message, lim Limits) Component {
	c := parse(m.Payload.ContentType, m.Payload.Content)
	n := 0
	number := func(bs []Button) {
		for i := range bs {
			n++
			bs[i].Number = n
			bs[i].ID = bs[i].Payload
			if utf8.RuneCountInString(bs[i].ID) > lim.IDLen || lim.IDBytes > 0 && len(bs[i].ID) > lim.IDBytes || strings.HasPrefix(bs[i].ID, refPrefix) || bs[i].ID == "" {
				bs[i].ID = fmt.Sprintf("%s%d.%d", refPrefix, m.ID, n)
			}
		}
	}
	number(c.Buttons)
	for i := range c.Cards {
		number(c.Cards[i].Buttons)
	}
	c.Menu = Layout(c.Buttons, lim)
	for i := range c.Cards {
		c.Cards[i].Menu = Layout(c.Cards[i].Buttons, lim)
	}
	return c
}

// Layout chooses how buttons show: reply buttons when they are few enough
// and every title fits, unique; else a list on the same terms; else
// numbered text. Titles are never cut, so that a user never has to guess
// what a shortened choice meant.
func Layout(bs []Button, lim Limits) Menu {
	if len(bs) == 0 {
		return MenuNone
	}
	fits := func(max, width int) bool {
		if len(bs) > max {
			return false
		}
		seen := map[string]bool{}
		for _, b := range bs {
			if b.Title == "" || utf8.RuneCountInString(b.Title) > width || seen[b.Title] {
				return false
			}
			seen[b.Title] = true
		}
		return true
	}
	switch {
	case fits(lim.MaxButtons, lim.ButtonTitle):
		return MenuButtons
	case lim.MaxRows > 0 && fits(lim.MaxRows, lim.RowTitle):
		return MenuList
	}
	return MenuNumbered
}

// NumberedText is the text of a component whose buttons are numbered: its
// text, then one line per button, "1. title".
func NumberedText(text string, bs []Button) string {
	var b strings.Builder
	b.WriteString(text)
	for _, x := range bs {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d. %s", x.Number, x.Title)
	}
	return b.String()
}

// AgentLine puts an agent's name above their text, for platforms that
// show every message as the bot's.
func AgentLine(m switchboard.Message, text string) string {
	if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != "" && text != "" {
		return m.Sender.Name + ":\n" + text
	}
	return text
}

// AllButtons are a component's buttons in order, a carousel's cards' too.
func (c Component) AllButtons() []Button {
	out := append([]Button(nil), c.Buttons...)
	for _, card := range c.Cards {
		out = append(out, card.Buttons...)
	}
	return out
}

// numbered reports whether the user sees numbers to type for the
// component's buttons.
func (c Component) numbered() bool {
	if c.Menu == MenuNumbered {
		return true
	}
	for _, card := range c.Cards {
		if card.Menu == MenuNumbered {
			return true
		}
	}
	return false
}

// parse reads a payload's content; wrapped values ({"content_type",
// "content"}) are unwrapped as the webapp does.
func parse(kind string, raw json.RawMessage) Component {
	var c map[string]any
	_ = json.Unmarshal(raw, &c)
	str := func(k string) string {
		switch v := c[k].(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return ""
	}
	out := Component{Kind: kind}
	switch kind {
	case "text":
		out.Text = str("text")
	case "question", "card":
		out.Text, out.Subtitle, out.Image = str("title"), str("subtitle"), str("image_url")
		out.Buttons = buttons(c["buttons"])
	case "button":
		out.Kind = "question"
		out.Buttons = buttons([]any{c})
	case "carousel":
		cards, _ := c["cards"].([]any)
		for _, card := range cards {
			raw, _ := json.Marshal(unwrap(card))
			out.Cards = append(out.Cards, parse("card", raw))
		}
	case "image", "video", "audio", "file":
		out.URL, out.Text, out.Name = str("url"), str("title"), str("name")
	case "url":
		out.URL, out.Text = str("url"), str("text")
		if out.Text == "" {
			out.Text = str("title")
		}
	case "typing", "wait":
		ms, _ := c["duration"].(float64)
		out.Duration = time.Duration(ms * float64(time.Millisecond))
	case "error":
		out.Kind, out.Text = "text", str("error")
	default:
		out.Text = str("text")
	}
	return out
}

func unwrap(v any) any {
	if m, ok := v.(map[string]any); ok {
		if inner, ok := m["content"].(map[string]any); ok {
			if _, typed := m["content_type"]; typed {
				return inner
			}
		}
	}
	return v
}

func buttons(v any) []Button {
	list, _ := v.([]any)
	var out []Button
	for _, it := range list {
		m, _ := unwrap(it).(map[string]any)
		title, _ := m["title"].(string)
		payload, _ := m["payload"].(string)
		if payload == "" {
			payload = title
		}
		if title == "" {
			title = payload
		}
		if payload == "" {
			continue
		}
		out = append(out, Button{Title: title, Payload: payload})
	}
	return out
}

// SplitText cuts a text into pieces of at most max characters, at a line
// break or a space when there is one in the second half of a piece.
func SplitText(s string, max int) []string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	var out []string
	for utf8.RuneCountInString(s) > max {
		r := []rune(s)
		cut := max
		for i := max; i > max/2; i-- {
			if r[i] == '\n' || r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " \n"))
		s = strings.TrimLeft(string(r[cut:]), " \n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
