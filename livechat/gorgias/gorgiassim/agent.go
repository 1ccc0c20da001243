package gorgiassim

import (
	"fmt"
	"html"
	"strings"
)

// What an agent can do on a ticket, from the console or a test. Each makes
// the message the helpdesk would make and fires the same events.
const (
	ActReply      = "reply"      // a public reply
	ActNote       = "note"       // an internal note
	ActMacro      = "macro"      // the sign-off macro (LIVECHAT_SESSION_END)
	ActRule       = "rule"       // an auto-reply of a rule (rule_id set)
	ActAttachment = "attachment" // a reply with a file and no text
	ActHTML       = "html"       // a reply with body_html only
	ActSurvey     = "survey"     // a satisfaction survey
	ActClose      = "close"      // close the ticket
	ActReopen     = "reopen"     // open it again
	ActAssign     = "assign"     // the agent assigns the ticket to themselves
)

// Action is one thing an agent does.
type Action struct {
	Kind string `json:"kind"`
	Text string `json:"text,omitempty"`
	HTML string `json:"html,omitempty"`
	// Attachment is the file of an attachment reply.
	Attachment *Attachment `json:"attachment,omitempty"`
	// UserID is the agent; 0 is the first user.
	UserID int64 `json:"user_id,omitempty"`
}

// SignOffMacro is the text of the simulator's sign-off macro, the one CSML
// Studio suggests.
const SignOffMacro = "Let us know if we can do anything else for you - we are here to help.\n\nLIVECHAT_SESSION_END"

// Ids of the simulator's macro and rule.
const (
	signOffMacroID = 7
	autoReplyRule  = 12
)

// Act does an action on a ticket; it returns the message made, if any.
func (s *Server) Act(ticketID int64, a Action) (*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ticket(ticketID)
	if t == nil {
		return nil, fmt.Errorf("gorgias simulator: no ticket %d", ticketID)
	}
	u, ok := s.agent(a.UserID)
	if !ok {
		return nil, fmt.Errorf("gorgias simulator: no user %d", a.UserID)
	}
	in := messageIn{Channel: ptr(t.Channel), Via: ptr("helpdesk"), FromAgent: ptr(true), Public: ptr(true)}
	if a.Text != "" {
		in.BodyText, in.BodyHTML = ptr(a.Text), ptr(textHTML(a.Text))
	}
	switch a.Kind {
	case ActReply:
	case ActNote:
		in.Channel = ptr("internal-note")
		in.Public = ptr(false)
	case ActMacro:
		text := SignOffMacro
		if a.Text != "" {
			text = a.Text + "\n\nLIVECHAT_SESSION_END"
		}
		in.BodyText, in.BodyHTML = ptr(text), ptr(textHTML(text))
		in.Macros = []MacroRef{{ID: signOffMacroID}}
	case ActRule:
		in.Via, in.ruleID = ptr("rule"), ptr(int64(autoReplyRule))
		if a.Text == "" {
			in.BodyText = ptr("Thanks for your message! We usually answer within a day.")
		}
	case ActAttachment:
		if a.Attachment == nil || a.Attachment.URL == "" {
			return nil, fmt.Errorf("gorgias simulator: an attachment reply needs an attachment with a url")
		}
		in.BodyText, in.BodyHTML = ptr(""), ptr("")
		in.Attachments = []attachmentIn{{URL: &a.Attachment.URL, Name: ptr(a.Attachment.Name), ContentType: ptr(a.Attachment.ContentType)}}
	case ActHTML:
		if a.HTML == "" {
			return nil, fmt.Errorf("gorgias simulator: an html reply needs html")
		}
		in.BodyText, in.BodyHTML = nil, ptr(a.HTML)
	case ActSurvey:
		in.Via = ptr("api")
		in.Source = &Source{Type: "satisfaction-survey"}
		in.Meta = map[string]any{"satisfaction_survey_id": 31}
		in.BodyText = ptr("How would you rate the support you received? Reply with a score from 1 to 5.")
	case ActAssign:
		s.assign(t, u)
		return nil, nil
	case ActClose, ActReopen:
		status := map[string]string{ActClose: "closed", ActReopen: "open"}[a.Kind]
		s.setStatus(t, status, u.ID)
		return nil, nil
	default:
		return nil, fmt.Errorf("gorgias simulator: unknown action %q: use reply, note, macro, rule, attachment, html, survey, assign, close or reopen", a.Kind)
	}
	if in.BodyText == nil && in.BodyHTML == nil && len(in.Attachments) == 0 {
		return nil, fmt.Errorf("gorgias simulator: %s needs a text", a.Kind)
	}
	out := *s.addMessage(t, &in, userPerson(u), u.ID)
	return &out, nil
}

// textHTML renders an agent's text as the helpdesk's editor does.
func textHTML(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(s, "\n") {
		b.WriteString("<div>" + html.EscapeString(p) + "</div>")
	}
	return b.String()
}

// Reply posts a public reply by the first agent.
func (s *Server) Reply(ticketID int64, text string) (*Message, error) {
	return s.Act(ticketID, Action{Kind: ActReply, Text: text})
}

// Note posts an internal note.
func (s *Server) Note(ticketID int64, text string) (*Message, error) {
	return s.Act(ticketID, Action{Kind: ActNote, Text: text})
}

// Macro applies the sign-off macro.
func (s *Server) Macro(ticketID int64) (*Message, error) {
	return s.Act(ticketID, Action{Kind: ActMacro})
}

// CloseTicket closes a ticket from the helpdesk.
func (s *Server) CloseTicket(ticketID int64) error {
	_, err := s.Act(ticketID, Action{Kind: ActClose})
	return err
}

// Tickets returns every ticket with its messages, oldest first.
func (s *Server) Tickets() []Ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Ticket, len(s.tickets))
	for i, t := range s.tickets {
		out[i] = s.ticketOut(t, true)
	}
	return out
}

// TicketByExternalID returns the ticket with this external_id (switchboard
// sets the session id) and its messages.
func (s *Server) TicketByExternalID(externalID string) (Ticket, bool) {
	for _, t := range s.Tickets() {
		if strOr(t.ExternalID) == externalID {
			return t, true
		}
	}
	return Ticket{}, false
}

// Customers returns every customer, oldest first.
func (s *Server) Customers() []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Customer, len(s.customers))
	for i, c := range s.customers {
		out[i] = *c
	}
	return out
}

// OpenTicket opens a ticket that is not switchboard's: a customer's email,
// or a ticket an import or another app created with its own external_id
// ("" for none). It returns the ticket's id.
func (s *Server) OpenTicket(externalID, email, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _ := s.customerFor(&personIn{Email: &email})
	now := timestamp(s.now())
	t := &Ticket{ID: s.id("ticket"), Status: "open", Channel: "email", Via: "email", Customer: customerPerson(c),
		Subject: ptr("Email from " + email), Meta: map[string]any{}, CreatedDatetime: now, UpdatedDatetime: now}
	if externalID != "" {
		t.ExternalID = &externalID
	}
	t.URI = ticketURI(t.ID)
	s.tickets = append(s.tickets, t)
	s.emit("ticket-created", t, nil, 0)
	in := messageIn{Channel: ptr("email"), Via: ptr("email"), FromAgent: ptr(false), BodyText: &text, SentDatetime: ptr(now)}
	s.addMessage(t, &in, customerPerson(c), 0)
	return t.ID
}
