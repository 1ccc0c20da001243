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
// the configured end message and one Button whose payload ends the session.
func EndQuestion(endMessage, buttonLabel string) switchboard.Payload {
	return Question(endMessage, Button{Title: buttonLabel, Payload: switchboard.PayloadSessionEnd})
}

// TextPayload is a plain text message.
func TextPayload(text string) switchboard.Payload {
	content, _ := json.Marshal(map[string]string{"text": text})
	return switchboard.Payload{ContentType: "text", Content: content}
}
