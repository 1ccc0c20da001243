package chatwootsim

import (
	"fmt"
	"path"
)

// What an agent can do in a conversation, from the console or a test. Each
// makes the message the dashboard would make and fires the same events.
const (
	ActReply      = "reply"      // a public reply
	ActCanned     = "canned"     // a canned response (default: the sign-off)
	ActNote       = "note"       // a private note
	ActAttachment = "attachment" // a reply with a file and no text
	ActTypingOn   = "typing_on"  // the agent starts typing (Private: a note)
	ActTypingOff  = "typing_off" // the agent stops typing
	ActResolve    = "resolve"    // resolve the conversation
	ActReopen     = "reopen"     // open it again
	ActBot        = "bot"        // an agent bot's reply
	ActAssign     = "assign"     // the agent assigns the conversation to themselves
	ActCSAT       = "csat"       // the satisfaction survey now (once; resolving sends it when the inbox has CSAT on)
	ActAutomation = "automation" // an automation rule's message (no sender)
	ActPending    = "pending"    // give the conversation to the agent bot (status pending)
	ActContact    = "contact"    // the contact writes Text
	ActSubmit     = "submit"     // the contact chooses the option Text of the input_select MessageID
)

// Action is one thing an agent does.
type Action struct {
	Kind string `json:"kind"`
	Text string `json:"text,omitempty"`
	// ShortCode names the canned response (default SignOffShortCode).
	ShortCode string `json:"short_code,omitempty"`
	// File is the file of an attachment reply: its URL and file_type
	// (image, audio, video or file).
	File *File `json:"file,omitempty"`
	// Private is typing a private note.
	Private bool `json:"private,omitempty"`
	// UserID is the agent; 0 is the first user.
	UserID int64 `json:"user_id,omitempty"`
	// MessageID is the input_select message of a submit.
	MessageID int64 `json:"message_id,omitempty"`
	// AccountID is the conversation's account; 0 is the first account.
	AccountID int64 `json:"account_id,omitempty"`
}

// File is a file an agent sends.
type File struct {
	URL      string `json:"url"`
	FileType string `json:"file_type"`
}

// Act does an action in a conversation, by its display id; it returns the
// message made, if any.
func (s *Server) Act(displayID int64, a Action) (*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	account := a.AccountID
	if account == 0 {
		account = s.cfg.Accounts[0].ID
	}
	cv := s.conversation(account, displayID)
	if cv == nil {
		return nil, fmt.Errorf("chatwoot simulator: no conversation %d in account %d", displayID, account)
	}
	u := s.user(a.UserID)
	if a.UserID == 0 {
		u = &s.cfg.Users[0]
	}
	if u == nil {
		return nil, fmt.Errorf("chatwoot simulator: no user %d", a.UserID)
	}
	agent := who{user: u}
	m := &Message{MessageType: TypeOutgoing}
	if a.Text != "" {
		m.Content = &a.Text
	}
	switch a.Kind {
	case ActReply:
	case ActNote:
		m.Private = true
	case ActCanned:
		code := a.ShortCode
		if code == "" {
			code = SignOffShortCode
		}
		c := s.cannedByCode(account, code)
		if c == nil {
			return nil, fmt.Errorf("chatwoot simulator: no canned response %q", code)
		}
		text := c.Content
		if a.Text != "" {
			text = a.Text + "\n\n" + c.Content
		}
		m.Content = &text
	case ActAttachment:
		if a.File == nil || a.File.URL == "" {
			return nil, fmt.Errorf("chatwoot simulator: an attachment reply needs a file with a url")
		}
		m.Content = nil
		m.Attachments = []Attachment{{ID: s.id("attachment"), FileType: a.File.FileType, DataURL: a.File.URL, FileName: path.Base(a.File.URL)}}
		if m.Attachments[0].FileType == "" {
			m.Attachments[0].FileType = "file"
		}
	case ActTypingOn, ActTypingOff:
		s.typing(cv, *u, a.Kind == ActTypingOn, a.Private)
		return nil, nil
	case ActAssign:
		s.setAssignee(cv, u)
		return nil, nil
	case ActResolve, ActReopen, ActPending:
		s.setStatus(cv, map[string]string{ActResolve: "resolved", ActReopen: "open", ActPending: "pending"}[a.Kind], u.Name)
		return nil, nil
	case ActContact:
		m.MessageType, agent = TypeIncoming, who{}
	case ActSubmit:
		return nil, s.submit(cv, a.MessageID, a.Text)
	case ActBot:
		agent = who{bot: &s.cfg.Bots[0]}
		if m.Content == nil {
			text := "I am " + s.cfg.Bots[0].Name + ", an AI assistant. An agent will join shortly."
			m.Content = &text
		}
	case ActCSAT:
		if m = s.csatSurvey(cv); m == nil {
			return nil, fmt.Errorf("chatwoot simulator: conversation %d has its survey already", displayID)
		}
		out := *m
		return &out, nil
	case ActAutomation:
		if m.Content == nil {
			text := "Thanks for reaching out! Our team usually answers within a few minutes."
			m.Content = &text
		}
		m.ContentAttributes, agent = map[string]any{"automation_rule_id": 3}, who{}
	default:
		return nil, fmt.Errorf("chatwoot simulator: unknown action %q: use reply, canned, note, attachment, typing_on, typing_off, assign, resolve, reopen, pending, bot, csat, automation, contact or submit", a.Kind)
	}
	if m.Content == nil && len(m.Attachments) == 0 {
		return nil, fmt.Errorf("chatwoot simulator: %s needs a text", a.Kind)
	}
	s.addMessage(cv, m, agent)
	out := *m
	return &out, nil
}

// Reply posts a public reply by the first agent.
func (s *Server) Reply(displayID int64, text string) (*Message, error) {
	return s.Act(displayID, Action{Kind: ActReply, Text: text})
}

// Resolve resolves a conversation from the dashboard.
func (s *Server) Resolve(displayID int64) error {
	_, err := s.Act(displayID, Action{Kind: ActResolve})
	return err
}

// Conversations returns every conversation with its messages, oldest first.
func (s *Server) Conversations() []Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Conversation, len(s.conversations))
	for i, cv := range s.conversations {
		out[i] = s.snapshot(cv)
	}
	return out
}

// ConversationBySource returns the conversation whose contact inbox has
// this source_id (switchboard sets the session id), with its messages.
func (s *Server) ConversationBySource(sourceID string) (Conversation, bool) {
	for _, cv := range s.Conversations() {
		if cv.SourceID == sourceID {
			return cv, true
		}
	}
	return Conversation{}, false
}

// Contacts returns every contact, oldest first.
func (s *Server) Contacts() []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Contact, len(s.contacts))
	for i, c := range s.contacts {
		out[i] = *c
	}
	return out
}

// Inboxes returns every inbox, oldest first, with its secret.
func (s *Server) Inboxes() []Inbox {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Inbox, len(s.inboxes))
	for i, in := range s.inboxes {
		out[i] = *in
	}
	return out
}
