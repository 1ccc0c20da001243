package chatwootsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"switchboard/internal/simkit"
)

// botEvents are the events Chatwoot's AgentBotListener posts to an agent
// bot's outgoing URL (app/listeners/agent_bot_listener.rb), for the
// conversations of the inboxes the bot is connected to.
var botEvents = []string{"message_created", "message_updated", "conversation_opened", "conversation_resolved", "conversation_status_changed", "webwidget_triggered"}

// ConnectBot sets an agent bot's outgoing URL and connects it to inboxes
// (Inbox settings > Bot configuration): their new conversations start
// pending, and their events go to the URL.
func (s *Server) ConnectBot(botID int64, outgoingURL string, inboxes ...int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.cfg.Bots {
		if s.cfg.Bots[i].ID == botID {
			s.cfg.Bots[i].OutgoingURL, s.cfg.Bots[i].Inboxes = outgoingURL, inboxes
			return nil
		}
	}
	return fmt.Errorf("chatwoot simulator: no agent bot %d", botID)
}

// activeBot is the agent bot connected to an inbox, if any. The caller
// holds s.mu.
func (s *Server) activeBot(inbox int64) *AgentBot {
	for i := range s.cfg.Bots {
		if slices.Contains(s.cfg.Bots[i].Inboxes, inbox) && s.cfg.Bots[i].OutgoingURL != "" {
			return &s.cfg.Bots[i]
		}
	}
	return nil
}

// emitBot queues an event for the agent bot of the conversation's inbox,
// unsigned, as versions before signed agent bot webhooks post it. raw is
// the event's body with "event" set. The caller holds s.mu.
func (s *Server) emitBot(event string, cv *Conversation, raw []byte, c call, object string) {
	bot := s.activeBot(cv.InboxID)
	if bot == nil || !slices.Contains(botEvents, event) {
		return
	}
	hook := bot.OutgoingURL
	s.Dispatch.Enqueue(simkit.Hook{
		EventID: uuid(), EventType: event, ObjectID: object, URL: hook, Tag: c,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "Chatwoot-simulator")
			return req, nil
		},
	})
}

// emitBotConversation posts a conversation event only agent bots get
// (conversation_opened, conversation_resolved). The caller holds s.mu.
func (s *Server) emitBotConversation(event string, cv *Conversation) {
	body := s.conversationPush(cv)
	body["event"] = event
	raw, _ := json.Marshal(body)
	s.emitBot(event, cv, raw, call{account: cv.AccountID, conversation: cv.ID, event: event}, strconv.FormatInt(cv.DisplayID, 10))
}

// checkInputSelect refuses an input_select message without items of a
// title and a value, as the widget could not show it.
func checkInputSelect(in messageIn) []fieldError {
	if in.ContentType != "input_select" {
		return nil
	}
	items, _ := in.ContentAttributes["items"].([]any)
	if len(items) == 0 {
		return []fieldError{{"content_attributes", "input_select needs content_attributes.items"}}
	}
	for i, it := range items {
		m, _ := it.(map[string]any)
		title, _ := m["title"].(string)
		value, _ := m["value"].(string)
		if title == "" || value == "" {
			return []fieldError{{"content_attributes", "items[" + strconv.Itoa(i) + "] needs a title and a value"}}
		}
	}
	return nil
}

// Submit is the contact choosing an option of an input_select message in
// the widget (the console's submit action).
func (s *Server) Submit(account, displayID, messageID int64, value string) error {
	_, err := s.Act(displayID, Action{Kind: ActSubmit, AccountID: account, MessageID: messageID, Text: value})
	return err
}

// submit sets the message's content_attributes.submitted_values to
// [{title, value}] of the option chosen, which fires message_updated. The
// caller holds s.mu.
func (s *Server) submit(cv *Conversation, messageID int64, value string) error {
	var m *Message
	for _, x := range s.messages[cv.ID] {
		if x.ID == messageID && x.ContentType == "input_select" {
			m = x
		}
	}
	if m == nil {
		return fmt.Errorf("chatwoot simulator: no input_select message %d in conversation %d", messageID, cv.DisplayID)
	}
	raw, _ := json.Marshal(m.ContentAttributes["items"])
	var items []map[string]any
	_ = json.Unmarshal(raw, &items)
	for _, it := range items {
		if it["value"] == value {
			attrs := map[string]any{}
			for k, v := range m.ContentAttributes {
				attrs[k] = v
			}
			attrs["submitted_values"] = []map[string]any{{"title": it["title"], "value": value}}
			m.ContentAttributes = attrs
			s.emitMessage("message_updated", cv, m)
			return nil
		}
	}
	return fmt.Errorf("chatwoot simulator: message %d has no option %q", messageID, value)
}

// AddInbox makes an inbox of any channel type ("Channel::WebWidget",
// "Channel::Whatsapp", ...) in the first account, as the dashboard does,
// and returns its id.
func (s *Server) AddInbox(name, channelType string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ib := &Inbox{ID: s.id("inbox"), AccountID: s.cfg.Accounts[0].ID, Name: name, ChannelType: channelType, ChannelID: s.id("channel"), HMACToken: token()}
	s.inboxes = append(s.inboxes, ib)
	return ib.ID
}

// ContactWrites is a contact writing in an inbox from its channel (the
// widget, WhatsApp): the first message makes the contact and a
// conversation, pending when the inbox has an agent bot, as Chatwoot's
// channel builders do; later ones go to that conversation. It returns the
// conversation's display id.
func (s *Server) ContactWrites(inboxID int64, person Contact, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ib := s.inbox(s.cfg.Accounts[0].ID, inboxID)
	if ib == nil {
		return 0, fmt.Errorf("chatwoot simulator: no inbox %d", inboxID)
	}
	var cv *Conversation
	for _, c := range s.conversations {
		if ct := s.contact(c.AccountID, c.ContactID); c.InboxID == inboxID && ct != nil && ct.Name == person.Name && c.Status != "resolved" {
			cv = c
		}
	}
	if cv == nil {
		ct := person
		ct.ID, ct.AccountID, ct.CreatedAt = s.id("contact"), ib.AccountID, s.now()
		s.contacts = append(s.contacts, &ct)
		ci := s.addContactInbox(&ct, inboxID, uuid())
		status := "open"
		if s.activeBot(inboxID) != nil {
			status = "pending"
		}
		s.displayIDs[ib.AccountID]++
		cv = &Conversation{ID: s.id("conversation"), DisplayID: s.displayIDs[ib.AccountID], UUID: uuid(), AccountID: ib.AccountID, InboxID: inboxID,
			ContactID: ct.ID, SourceID: ci.SourceID, Status: status, CreatedAt: s.now(), LastActivityAt: s.now(), UpdatedAt: s.now()}
		s.conversations = append(s.conversations, cv)
		s.emitConversation("conversation_created", cv, nil)
	}
	s.addMessage(cv, &Message{Content: &text, MessageType: TypeIncoming}, who{})
	return cv.DisplayID, nil
}
