package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// render prints one bot message for a terminal: text as it is, buttons
// numbered (their payloads kept for the next line typed), media and links
// as URLs, anything else as compact JSON. indent prefixes nested parts
// (the cards of a carousel).
func (c *chat) render(contentType string, content json.RawMessage, indent string) {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(content, &m)
	str := func(k string) string {
		var s string
		if json.Unmarshal(m[k], &s) != nil {
			return ""
		}
		return s
	}
	line := func(format string, args ...any) { fmt.Fprintf(c.out, indent+format+"\n", args...) }
	switch contentType {
	case "text":
		var text *string
		_ = json.Unmarshal(m["text"], &text)
		if text == nil {
			line("null")
		} else {
			line("%s", *text)
		}
	case "question", "card":
		if t := str("title"); t != "" {
			line("%s", t)
		}
		if s := str("subtitle"); s != "" {
			line("%s", s)
		}
		if u := str("image_url"); u != "" {
			line("[image] %s", u)
		}
		c.renderButtons(m["buttons"], indent)
	case "button":
		c.button(content, indent)
	case "carousel":
		var cards []wrapped
		_ = json.Unmarshal(m["cards"], &cards)
		for _, card := range cards {
			c.render(card.contentType(), card.Content, indent+"  ")
		}
	case "image", "video", "audio", "file":
		line("[%s] %s", contentType, str("url"))
	case "url":
		if t := str("text"); t != "" && t != str("url") {
			line("%s: %s", t, str("url"))
		} else {
			line("%s", str("url"))
		}
	case "typing", "wait":
	case "error":
		line("! %s", str("error"))
	case "debug":
		line("[debug] %s", compact(m["args"]))
	default:
		line("[%s] %s", contentType, compact(content))
	}
}

// wrapped is a component nested in another: {"content", "content_type"}.
type wrapped struct {
	Content     json.RawMessage `json:"content"`
	ContentType string          `json:"content_type"`
}

func (w wrapped) contentType() string {
	if w.ContentType == "" {
		return "card"
	}
	return w.ContentType
}

func (c *chat) renderButtons(raw json.RawMessage, indent string) {
	var buttons []wrapped
	_ = json.Unmarshal(raw, &buttons)
	for _, b := range buttons {
		if b.Content == nil {
			continue
		}
		c.button(b.Content, indent)
	}
}

// button prints a numbered choice and remembers its payload.
func (c *chat) button(content json.RawMessage, indent string) {
	var b struct {
		Title   string `json:"title"`
		Payload any    `json:"payload"`
	}
	_ = json.Unmarshal(content, &b)
	payload, ok := b.Payload.(string)
	if !ok {
		payload = b.Title
	}
	c.buttons = append(c.buttons, payload)
	fmt.Fprintf(c.out, "%s  %d. %s\n", indent, len(c.buttons), b.Title)
}

// compact is raw JSON on one line.
func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
