package chatwoot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/channel"
)

// The agent bot event Chatwoot posts (the parts the channel reads): a
// message event's data, or a conversation event's.
type (
	event struct {
		Event             string          `json:"event"`
		ID                int64           `json:"id"`
		Content           *string         `json:"content"`
		MessageType       string          `json:"message_type"`
		Private           bool            `json:"private"`
		ContentAttributes json.RawMessage `json:"content_attributes"`
		Attachments       []attachment    `json:"attachments"`
		Sender            *contact        `json:"sender"`
		Inbox             struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"inbox"`
		Account struct {
			ID int64 `json:"id"`
		} `json:"account"`
		Conversation *conversation `json:"conversation"`
		// A conversation event is the conversation's data itself: its
		// display id is ID, and these.
		InboxID   int64    `json:"inbox_id"`
		AccountID int64    `json:"account_id"`
		Status    string   `json:"status"`
		UpdatedAt *float64 `json:"updated_at"`
	}
	conversation struct {
		ID      int64  `json:"id"`
		InboxID int64  `json:"inbox_id"`
		Status  string `json:"status"`
		Channel string `json:"channel"`
	}
	contact struct {
		ID                   int64           `json:"id"`
		Type                 string          `json:"type"`
		Name                 string          `json:"name"`
		Email                *string         `json:"email"`
		PhoneNumber          *string         `json:"phone_number"`
		Identifier           *string         `json:"identifier"`
		AdditionalAttributes json.RawMessage `json:"additional_attributes"`
		CustomAttributes     json.RawMessage `json:"custom_attributes"`
	}
	attachment struct {
		FileType string `json:"file_type"`
		DataURL  string `json:"data_url"`
	}
	submitted struct {
		SubmittedValues []struct {
			Title string `json:"title"`
			Value string `json:"value"`
		} `json:"submitted_values"`
	}
)

// statusPending is Chatwoot's bot state: only then does the bot answer.
const statusPending = "pending"

// Parse turns an agent bot event of the channel's account (and inbox,
// when one is set) into items:
//   - a contact's message, or an option chosen in an input_select: the
//     contact's event, for the bot when the conversation is pending, else
//     for the livechat session only (channel.Item.SessionOnly: an agent
//     has the conversation, and the bot never talks over them);
//   - an agent's public message (sender type user): channel.ItemAgent;
//   - the conversation resolved (conversation_resolved, or
//     conversation_status_changed to resolved): channel.ItemClosed.
//
// Anything else (the bot's own messages, notes, other events) is no item.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("chatwoot: the event does not read: %w", err)
	}
	if e.Event == "" {
		return nil, fmt.Errorf("chatwoot: the body has no event: not an agent bot event")
	}
	switch e.Event {
	case "conversation_resolved", "conversation_status_changed":
		return c.parseConversation(e), nil
	}
	cv := e.Conversation
	if cv == nil || cv.ID == 0 || e.Account.ID != c.s.AccountID || c.s.InboxID != 0 && e.Inbox.ID != c.s.InboxID {
		return nil, nil
	}
	user := strconv.FormatInt(cv.ID, 10)
	id := strconv.FormatInt(e.ID, 10)
	agentsHaveIt := cv.Status != statusPending
	switch {
	case e.Event == "message_created" && e.MessageType == "incoming" && !e.Private:
		meta := metadata(e, body)
		var out []channel.Item
		if e.Content != nil && *e.Content != "" {
			out = append(out, channel.Item{Kind: channel.ItemMessage, UserID: user, ID: id, Payload: payload("text", map[string]string{"text": *e.Content}), Metadata: meta, SessionOnly: agentsHaveIt})
		}
		for i, a := range e.Attachments {
			if a.DataURL == "" {
				continue
			}
			out = append(out, channel.Item{Kind: channel.ItemMessage, UserID: user, ID: id + ":" + strconv.Itoa(i), Payload: payload(fileKind(a.FileType), map[string]string{"url": a.DataURL}), Metadata: meta, SessionOnly: agentsHaveIt})
		}
		return out, nil
	case e.Event == "message_created" && e.MessageType == "outgoing" && !e.Private && e.Sender != nil && e.Sender.Type == "user":
		text := ""
		if e.Content != nil {
			text = *e.Content
		}
		agent, _ := json.Marshal(map[string]string{"id": strconv.FormatInt(e.Sender.ID, 10), "name": e.Sender.Name})
		return []channel.Item{{Kind: channel.ItemAgent, UserID: user, ID: "agent:" + id, Payload: payload("text", map[string]string{"text": text}), Metadata: agent}}, nil
	case e.Event == "message_updated":
		var s submitted
		if json.Unmarshal(e.ContentAttributes, &s) != nil || len(s.SubmittedValues) == 0 || s.SubmittedValues[0].Value == "" {
			return nil, nil
		}
		v := s.SubmittedValues[0]
		return []channel.Item{{Kind: channel.ItemMessage, UserID: user, ID: "submitted:" + id,
			Payload: payload("payload", map[string]string{"payload": v.Value, "title": v.Title}), SessionOnly: agentsHaveIt}}, nil
	}
	return nil, nil
}

// parseConversation reads a conversation event: the conversation
// resolved is an agent closing it, once per change (its updated_at).
func (c *Conn) parseConversation(e event) []channel.Item {
	account := e.AccountID
	if account == 0 {
		account = e.Account.ID
	}
	if e.ID == 0 || e.Status != statusResolved || account != 0 && account != c.s.AccountID || c.s.InboxID != 0 && e.InboxID != c.s.InboxID {
		return nil
	}
	at := ""
	if e.UpdatedAt != nil {
		at = strconv.FormatFloat(*e.UpdatedAt, 'f', -1, 64)
	}
	user := strconv.FormatInt(e.ID, 10)
	return []channel.Item{{Kind: channel.ItemClosed, UserID: user, ID: "resolved:" + user + ":" + at}}
}

// fileKind is the CSML content type of a Chatwoot file_type.
func fileKind(t string) string {
	switch t {
	case "image", "video", "audio":
		return t
	}
	return "file"
}

func payload(kind string, content any) switchboard.Payload {
	raw, _ := json.Marshal(content)
	return switchboard.Payload{ContentType: kind, Content: raw}
}

// metadata is what the bot reads of the contact in _metadata: name
// (and firstname, lastname), e-mail, phone, identifier, attributes and custom attributes, and the
// inbox and its channel.
//
// contact and conversation are the objects as Chatwoot sent them: what
// Chatwoot's removed CSML integration gave its bots as _metadata, so that
// a migrated bot reads them unchanged.
func metadata(e event, body []byte) json.RawMessage {
	var objects struct {
		Sender       json.RawMessage `json:"sender"`
		Conversation json.RawMessage `json:"conversation"`
	}
	_ = json.Unmarshal(body, &objects)
	m := map[string]any{"contact": objects.Sender, "conversation": objects.Conversation, "inbox": map[string]any{"id": e.Inbox.ID, "name": e.Inbox.Name, "channel": e.Conversation.Channel},
		"conversation_id": e.Conversation.ID}
	if ct := e.Sender; ct != nil {
		m["contact_id"], m["name"] = ct.ID, ct.Name
		// firstname and lastname, as the other channels give them.
		if first, last, _ := strings.Cut(strings.TrimSpace(ct.Name), " "); first != "" {
			m["firstname"] = first
			if last = strings.TrimSpace(last); last != "" {
				m["lastname"] = last
			}
		}
		for k, v := range map[string]*string{"email": ct.Email, "phone_number": ct.PhoneNumber, "identifier": ct.Identifier} {
			if v != nil && *v != "" {
				m[k] = *v
			}
		}
		for k, v := range map[string]json.RawMessage{"additional_attributes": ct.AdditionalAttributes, "custom_attributes": ct.CustomAttributes} {
			if len(v) > 0 && string(v) != "null" {
				m[k] = v
			}
		}
	}
	out, _ := json.Marshal(m)
	return out
}
