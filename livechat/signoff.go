package livechat

import (
	"encoding/json"
	"regexp"
	"strings"

	"switchboard"
)

// signOffToken matches the sign-off token, also with markdown-escaped
// underscores (LIVECHAT\_SESSION\_END), which some agent editors produce.
var signOffToken = regexp.MustCompile(`LIVECHAT(?:\\?_)SESSION(?:\\?_)END`)

// SignOff splits an agent's message into the text to deliver and whether it
// carried the sign-off token. The token is removed wherever it appears; the
// remaining text is trimmed and may be empty.
func SignOff(text string) (rest string, signedOff bool) {
	if !signOffToken.MatchString(text) {
		return text, false
	}
	rest = signOffToken.ReplaceAllString(text, "")
	return strings.TrimSpace(rest), true
}

// EndQuestion is the message that replaces the sign-off token: a Question with
// the configured end message and one Button whose payload ends the session. Its
// JSON is exactly what CSML's Question and Button components produce.
func EndQuestion(endMessage, buttonLabel string) switchboard.Payload {
	type button struct {
		Title   string   `json:"title"`
		Payload string   `json:"payload"`
		Accepts []string `json:"accepts"`
	}
	type wrapped struct {
		Content     button `json:"content"`
		ContentType string `json:"content_type"`
	}
	content, _ := json.Marshal(struct {
		Title   string    `json:"title"`
		Buttons []wrapped `json:"buttons"`
	}{
		Title: endMessage,
		Buttons: []wrapped{{
			Content: button{
				Title:   buttonLabel,
				Payload: switchboard.PayloadSessionEnd,
				Accepts: []string{buttonLabel, switchboard.PayloadSessionEnd},
			},
			ContentType: "button",
		}},
	})
	return switchboard.Payload{ContentType: "question", Content: content}
}

// TextPayload is a plain text message.
func TextPayload(text string) switchboard.Payload {
	content, _ := json.Marshal(map[string]string{"text": text})
	return switchboard.Payload{ContentType: "text", Content: content}
}
