package chatwootsim

import (
	"path"
	"strings"
	"time"
)

// The shapes Chatwoot answers and posts its objects in: the REST views
// (app/views/api/v1/…) and the webhook_data of the models. The caller
// holds s.mu.

// userData is a user as REST answers embed it (push_event_data).
func userData(u User) map[string]any {
	return map[string]any{"id": u.ID, "name": u.Name, "available_name": u.Name, "avatar_url": "", "type": "user", "availability_status": "online", "thumbnail": ""}
}

// userWebhook is a user in webhooks.
func userWebhook(u User) map[string]any {
	return map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "type": "user"}
}

func botData(b AgentBot) map[string]any {
	return map[string]any{"id": b.ID, "name": b.Name, "avatar_url": "", "type": "agent_bot"}
}

func (s *Server) contactData(c *Contact) map[string]any {
	return map[string]any{
		"id": c.ID, "name": c.Name, "email": nullable(c.Email), "phone_number": nullable(c.PhoneNumber), "identifier": nullable(c.Identifier),
		"thumbnail": "", "additional_attributes": orEmpty(c.AdditionalAttributes), "custom_attributes": orEmpty(c.CustomAttributes),
		"availability_status": "offline", "created_at": c.CreatedAt.Unix(), "type": "contact",
	}
}

// sender is who wrote a message, REST-shaped or for webhooks.
func (s *Server) sender(m *Message, c *Conversation, webhook bool) map[string]any {
	switch m.SenderType {
	case "User":
		if u := s.user(m.SenderID); u != nil {
			if webhook {
				return userWebhook(*u)
			}
			return userData(*u)
		}
	case "AgentBot":
		for _, b := range s.cfg.Bots {
			if b.ID == m.SenderID {
				return botData(b)
			}
		}
	case "Contact":
		if ct := s.contact(c.AccountID, m.SenderID); ct != nil {
			return s.contactData(ct)
		}
	}
	return nil
}

func (s *Server) attachmentData(a Attachment, m *Message, c *Conversation) map[string]any {
	return map[string]any{
		"id": a.ID, "message_id": m.ID, "file_type": a.FileType, "account_id": c.AccountID, "extension": strings.TrimPrefix(path.Ext(a.FileName), "."),
		"data_url": a.DataURL, "thumb_url": a.DataURL, "file_size": a.FileSize,
	}
}

// messageREST is a message as the REST API answers it: its type a number,
// its time in unix seconds.
func (s *Server) messageREST(m *Message, c *Conversation) map[string]any {
	out := map[string]any{
		"id": m.ID, "content": m.Content, "inbox_id": c.InboxID, "conversation_id": c.DisplayID, "message_type": m.MessageType,
		"content_type": m.ContentType, "status": m.Status, "content_attributes": orEmpty(m.ContentAttributes),
		"created_at": m.CreatedAt.Unix(), "private": m.Private, "source_id": nullable(m.SourceID),
		"sender": s.sender(m, c, false), "sender_type": nullable(m.SenderType), "sender_id": m.SenderID, "attachments": s.attachments(m, c),
	}
	if m.ExternalError != "" {
		out["content_attributes"] = map[string]any{"external_error": m.ExternalError}
	}
	return out
}

func (s *Server) attachments(m *Message, c *Conversation) []map[string]any {
	out := []map[string]any{}
	for _, a := range m.Attachments {
		out = append(out, s.attachmentData(a, m, c))
	}
	return out
}

// messageWebhook is a message's webhook_data: its type a word, its time a
// date string, its conversation's push data, attachments only when there
// are some.
func (s *Server) messageWebhook(m *Message, c *Conversation) map[string]any {
	in := s.inbox(c.AccountID, c.InboxID)
	out := map[string]any{
		"id": m.ID, "content": m.Content, "content_type": m.ContentType, "content_attributes": orEmpty(m.ContentAttributes),
		"additional_attributes": map[string]any{}, "created_at": m.CreatedAt.UTC().Format(time.RFC3339Nano), "message_type": m.TypeName(),
		"private": m.Private, "source_id": nullable(m.SourceID), "sender": s.sender(m, c, true),
		"inbox": map[string]any{"id": in.ID, "name": in.Name}, "conversation": s.conversationPush(c), "account": s.accountData(c.AccountID),
	}
	if len(m.Attachments) > 0 {
		out["attachments"] = s.attachments(m, c)
	}
	return out
}

func (s *Server) accountData(id int64) map[string]any {
	a := s.account(id)
	return map[string]any{"id": a.ID, "name": a.Name}
}

// lastMessage is a conversation's newest message, REST-shaped, in a list.
func (s *Server) lastMessage(c *Conversation) []map[string]any {
	ms := s.messages[c.ID]
	if len(ms) == 0 {
		return []map[string]any{}
	}
	return []map[string]any{s.messageREST(ms[len(ms)-1], c)}
}

// conversationREST is the conversation partial the REST API answers with.
func (s *Server) conversationREST(c *Conversation) map[string]any {
	ct := s.contact(c.AccountID, c.ContactID)
	out := map[string]any{
		"meta": map[string]any{"sender": s.contactData(ct), "channel": s.inbox(c.AccountID, c.InboxID).ChannelType, "hmac_verified": false},
		"id":   c.DisplayID, "uuid": c.UUID, "messages": s.lastMessage(c), "account_id": c.AccountID, "additional_attributes": orEmpty(c.AdditionalAttributes),
		"agent_last_seen_at": 0, "assignee_last_seen_at": 0, "can_reply": true, "contact_last_seen_at": 0,
		"custom_attributes": orEmpty(c.CustomAttributes), "inbox_id": c.InboxID, "muted": false,
		"snoozed_until": nil, "status": c.Status, "created_at": c.CreatedAt.Unix(), "timestamp": c.LastActivityAt.Unix(), "unread_count": 0,
		"updated_at": float64(c.UpdatedAt.UnixMicro()) / 1e6,
	}
	s.routingData(c, out)
	return out
}

// conversationPush is a conversation's push data, as webhooks carry it:
// with its contact inbox, whose source_id routes it.
func (s *Server) conversationPush(c *Conversation) map[string]any {
	out := s.conversationREST(c)
	var ci map[string]any
	for _, x := range s.contactInboxs {
		if x.InboxID == c.InboxID && x.SourceID == c.SourceID {
			ci = map[string]any{"id": x.ID, "contact_id": x.ContactID, "inbox_id": x.InboxID, "source_id": x.SourceID, "hmac_verified": false}
		}
	}
	out["contact_inbox"] = ci
	out["channel"] = s.inbox(c.AccountID, c.InboxID).ChannelType
	return out
}

// inboxData is an inbox; its secret and HMAC token only for
// administrators.
func inboxData(in *Inbox, admin bool) map[string]any {
	out := map[string]any{
		"id": in.ID, "avatar_url": "", "channel_id": in.ChannelID, "name": in.Name, "channel_type": in.ChannelType,
		"greeting_enabled": false, "greeting_message": nil, "working_hours_enabled": false, "enable_email_collect": true,
		"csat_survey_enabled": in.CSATSurveyEnabled, "enable_auto_assignment": in.EnableAutoAssignment, "allow_messages_after_resolved": true,
		"lock_to_single_conversation": in.LockToSingleConversation, "timezone": "UTC", "callback_webhook_url": nil,
	}
	if in.api() {
		out["webhook_url"] = in.WebhookURL
		out["inbox_identifier"] = in.Identifier
		out["hmac_mandatory"] = in.HMACMandatory
		out["additional_attributes"] = map[string]any{}
	}
	if admin {
		out["hmac_token"] = in.HMACToken
		if in.api() && in.Secret != "" {
			out["secret"] = in.Secret
		}
	}
	return out
}

// nullable renders "" as null, as Chatwoot's empty columns are.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
