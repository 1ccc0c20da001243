package gorgias

import (
	"strconv"
	"strings"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// agentReply turns a ticket message into what the user receives, when it is
// a public reply by a human agent; anything else (the user's own messages
// coming back, internal notes, rule auto-replies, satisfaction surveys,
// switchboard's own posts) is never relayed.
func agentReply(sessionID string, m Message) (engine.AgentReply, bool) {
	if !fromHumanAgent(m) {
		return engine.AgentReply{}, false
	}
	r := engine.AgentReply{SessionID: sessionID, DedupID: strconv.FormatInt(m.ID, 10), Text: replyText(m)}
	if written, err := parseDatetime(m.CreatedDatetime); err == nil {
		r.WrittenAt = written
	}
	if p := m.Sender; p != nil {
		if p.ID != 0 {
			r.AgentID = "gorgias:" + strconv.FormatInt(p.ID, 10)
		}
		r.AgentName = strings.TrimSpace(p.Name)
		if r.AgentName == "" {
			r.AgentName = strings.TrimSpace(p.Firstname + " " + p.Lastname)
		}
	}
	for _, a := range m.Attachments {
		if a.URL != "" {
			r.Attachments = append(r.Attachments, livechat.Attachment{URL: a.URL, Name: a.Name, ContentType: a.ContentType})
		}
	}
	if r.Text == "" && len(r.Attachments) == 0 {
		return engine.AgentReply{}, false // an empty bubble is never sent
	}
	return r, true
}

// fromHumanAgent is the relay policy. Public must be said, not assumed: a
// message that does not say it is public is treated as a note.
func fromHumanAgent(m Message) bool {
	switch {
	case !m.FromAgent, m.Public == nil, !*m.Public:
		return false
	case m.Channel == "internal-note", m.Via == "internal-note":
		return false
	case m.RuleID != nil, m.Via == "rule":
		return false
	case strings.HasPrefix(m.ExternalID, refPrefix):
		return false
	case isSurvey(m):
		return false
	}
	return true
}

// isSurvey recognises a satisfaction survey sent on the ticket, however
// Gorgias marks it (source type, via, or a meta key).
func isSurvey(m Message) bool {
	has := func(s string) bool { return strings.Contains(strings.ToLower(s), "satisfaction") }
	if has(m.Via) || has(m.Channel) || m.Source != nil && has(m.Source.Type) {
		return true
	}
	for k := range m.Meta {
		if has(k) {
			return true
		}
	}
	return false
}

// replyText is the text to show: the text without signature and quoted
// history when Gorgias gives it, else the text, else the HTML as text. The
// sign-off token is kept even when the stripped text lost it (a macro's last
// line can look like a signature).
func replyText(m Message) string {
	text := strings.TrimSpace(m.StrippedText)
	if text == "" {
		text = strings.TrimSpace(m.BodyText)
	}
	if text == "" && m.BodyHTML != "" {
		text = driverkit.HTMLText(m.BodyHTML)
	}
	if _, signed := livechat.SignOff(text); !signed {
		_, inText := livechat.SignOff(m.BodyText)
		_, inHTML := livechat.SignOff(m.BodyHTML)
		if inText || inHTML {
			text = strings.TrimSpace(text + "\n" + switchboard.PayloadSessionEnd)
		}
	}
	return text
}
