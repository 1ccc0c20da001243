package livechat

import (
	"encoding/json"
	"strings"

	"switchboard"
)

// transcriptLine renders one message of the bot conversation as "Who: what",
// or "" for what agents need not read (typing indicators, waits, switchboard's
// own notices).
func transcriptLine(m switchboard.Message) string {
	var who string
	switch m.Sender.Kind {
	case switchboard.SenderUser:
		who = "User"
	case switchboard.SenderBot:
		who = "Bot"
	case switchboard.SenderAgent:
		who = "Agent"
		if m.Sender.Name != "" {
			who = "Agent " + m.Sender.Name
		}
	default:
		return ""
	}
	what := PayloadText(m.Payload)
	if what == "" {
		return ""
	}
	return who + ": " + what
}

// PayloadText renders a CSML payload as one line of text.
func PayloadText(p switchboard.Payload) string {
	var c map[string]any
	_ = json.Unmarshal(p.Content, &c)
	get := func(k string) string { s, _ := c[k].(string); return strings.TrimSpace(s) }
	switch p.ContentType {
	case "text":
		return get("text")
	case "payload":
		if t := get("title"); t != "" {
			return t
		}
		return get("payload")
	case "question":
		var titles []string
		buttons, _ := c["buttons"].([]any)
		for _, b := range buttons {
			bm, _ := b.(map[string]any)
			inner, _ := bm["content"].(map[string]any)
			if inner == nil {
				inner = bm
			}
			if t, _ := inner["title"].(string); t != "" {
				titles = append(titles, t)
			}
		}
		line := get("title")
		if len(titles) > 0 {
			line += " [" + strings.Join(titles, " | ") + "]"
		}
		return strings.TrimSpace(line)
	case "image", "video", "audio", "file", "url":
		return get("url")
	case "typing", "wait", "flow_trigger":
		return ""
	default:
		if t := get("text"); t != "" {
			return t
		}
		return "[" + p.ContentType + "]"
	}
}

// Transcript renders the bot conversation before a handoff for agents, one
// "Who: what" line per message, or "" when nothing is worth reading.
func Transcript(ms []switchboard.Message) string {
	var lines []string
	for _, m := range ms {
		if l := transcriptLine(m); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	text := "Conversation with the bot before the handoff:\n"
	for _, l := range lines {
		text += "\n" + l
	}
	return text
}
