package main

import (
	"encoding/json"
	"strings"

	"switchboard"
)

// textOf returns the text of a text message or the title of a question,
// or "".
func textOf(p switchboard.Payload) string {
	var c struct {
		Text  string `json:"text"`
		Title string `json:"title"`
	}
	switch p.ContentType {
	case "text":
		_ = json.Unmarshal(p.Content, &c)
	case "question":
		_ = json.Unmarshal(p.Content, &c)
		c.Text = c.Title
	}
	return c.Text
}

// payloadOf returns the payload of a payload event (a button click), or "".
func payloadOf(p switchboard.Payload) string {
	var c struct {
		Payload string `json:"payload"`
	}
	if p.ContentType == "payload" {
		_ = json.Unmarshal(p.Content, &c)
	}
	return c.Payload
}

// isEndQuestion reports whether a message is the question with the end
// button that an agent's sign-off sends.
func isEndQuestion(m switchboard.Message) bool {
	return m.Sender.Kind == switchboard.SenderSystem && m.Payload.ContentType == "question" &&
		strings.Contains(string(m.Payload.Content), switchboard.PayloadSessionEnd)
}

// resumeOf returns the resume text of a bot message ("" when it is not one).
func resumeOf(m switchboard.Message) string {
	if m.Sender.Kind != switchboard.SenderBot {
		return ""
	}
	text := textOf(m.Payload)
	for _, r := range []string{resumeEnded, resumeExpired, resumeError} {
		if strings.HasPrefix(text, r) {
			return r
		}
	}
	return ""
}

// isUnavailable reports whether a message is the bot's answer to a refused
// handoff.
func isUnavailable(m recvMsg) bool {
	return m.Sender.Kind == switchboard.SenderBot && strings.HasPrefix(textOf(m.Payload), unavailable)
}

// answersHandoff reports whether a message received in a session tells
// the user they are waiting for a person: the connecting message or a
// queue position announcement.
func answersHandoff(m switchboard.Message) bool {
	return m.Sender.Kind == switchboard.SenderSystem && m.Payload.ContentType == "text"
}

// isPosition reports whether a message is the queue bot's position
// announcement.
func isPosition(m switchboard.Message) bool {
	return answersHandoff(m) && strings.HasPrefix(textOf(m.Payload), queuePrefix)
}
