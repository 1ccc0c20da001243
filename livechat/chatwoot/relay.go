package chatwoot

import (
	"mime"
	"net/url"
	"path"
	"strings"
	"time"

	"switchboard/engine"
	"switchboard/livechat"
)

// agentReply turns a conversation message into what the user receives, when
// it is a public message of a human agent (or, with bots, of an agent bot,
// an automation or a template); anything else (the user's own messages
// coming back, private notes, activities, switchboard's own posts) is never
// relayed.
func agentReply(sessionID string, m Message, bots bool) (engine.AgentReply, bool) {
	if !relayed(m, bots) {
		return engine.AgentReply{}, false
	}
	r := engine.AgentReply{SessionID: sessionID, DedupID: idOf(m.ID), Text: strings.TrimSpace(m.Content), WrittenAt: time.Time(m.CreatedAt)}
	if p := m.Sender; p != nil {
		if p.ID != 0 {
			r.AgentID = "chatwoot:" + m.senderType() + ":" + idOf(p.ID)
		}
		r.AgentName = strings.TrimSpace(p.AvailableName)
		if r.AgentName == "" {
			r.AgentName = strings.TrimSpace(p.Name)
		}
	}
	for _, a := range m.Attachments {
		if a.DataURL != "" {
			r.Attachments = append(r.Attachments, attachment(a))
		}
	}
	if r.Text == "" && len(r.Attachments) == 0 {
		return engine.AgentReply{}, false // an empty bubble is never sent
	}
	return r, true
}

// relayed is the relay policy: public outgoing messages of a user (a human
// agent); with bots, also those of agent bots and automations (no sender)
// and template messages (surveys, greetings).
func relayed(m Message, bots bool) bool {
	switch {
	case m.Private, strings.HasPrefix(m.SourceID, refPrefix):
		return false
	case m.MessageType == Outgoing && m.senderType() == "user":
		return true
	case !bots:
		return false
	case m.MessageType == Template:
		return true
	case m.MessageType == Outgoing:
		return m.senderType() != "contact"
	}
	return false
}

// attachment is an agent's file as the user's channel shows it: its type
// from its name, else from Chatwoot's file type.
func attachment(a Attachment) livechat.Attachment {
	out := livechat.Attachment{URL: a.DataURL}
	if u, err := url.Parse(a.DataURL); err == nil {
		if base := path.Base(u.Path); base != "/" && base != "." {
			out.Name = base
		}
	}
	out.ContentType = mime.TypeByExtension(path.Ext(out.Name))
	family := map[string]string{"image": "image/", "video": "video/", "audio": "audio/"}[a.FileType]
	if family != "" && !strings.HasPrefix(out.ContentType, family) {
		out.ContentType = family + "*"
	}
	if out.ContentType == "" {
		out.ContentType = "application/octet-stream"
	}
	return out
}
