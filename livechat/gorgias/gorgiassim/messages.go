package gorgiassim

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, ticketID int64, u User) {
	var in messageIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ticket(ticketID)
	if t == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	e, sender := s.checkMessage(&in)
	if len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to create message.", e)
		return
	}
	m := s.addMessage(t, &in, sender, u.ID)
	writeJSON(w, s.cfg.CreateStatus, *m)
}

// addMessage stores a validated message and emits ticket-message-created
// for it, whoever wrote it (switchboard's own posts come back too, as on
// Gorgias). A public message posted without sent_datetime is "to be sent"
// and gets one shortly after; a customer's message reopens a closed ticket.
// The caller holds s.mu.
func (s *Server) addMessage(t *Ticket, in *messageIn, sender *Person, userID int64) *Message {
	now := timestamp(s.now())
	m := &Message{
		ID: s.id("message"), TicketID: t.ID, Channel: *in.Channel, Via: *in.Via, FromAgent: *in.FromAgent,
		Public: in.Public == nil || *in.Public, Sender: sender, Source: in.Source, Subject: in.Subject,
		BodyText: in.BodyText, BodyHTML: in.BodyHTML, StrippedText: in.StrippedText,
		Attachments: []Attachment{}, ExternalID: in.ExternalID, MessageID: in.MessageID, IntegrationID: in.IntegrationID,
		Macros: in.Macros, Meta: in.Meta, CreatedDatetime: now, SentDatetime: in.SentDatetime, RuleID: in.ruleID,
	}
	m.URI = ticketURI(t.ID) + "messages/" + strconv.FormatInt(m.ID, 10) + "/"
	if m.Channel == "internal-note" {
		m.Public = false
	}
	if m.StrippedText == nil {
		m.StrippedText = m.BodyText
	}
	if m.Meta == nil {
		m.Meta = map[string]any{}
	}
	if m.Macros == nil {
		m.Macros = []MacroRef{}
	}
	for _, a := range in.Attachments {
		m.Attachments = append(m.Attachments, Attachment{URL: *a.URL, Name: *a.Name, ContentType: *a.ContentType, Size: a.Size, Public: a.Public == nil || *a.Public})
	}
	if m.SentDatetime == nil && m.Public {
		time.AfterFunc(s.cfg.SendDelay, func() { s.markSent(t.ID, m.ID) })
	}
	s.messages[t.ID] = append(s.messages[t.ID], m)
	t.UpdatedDatetime = now
	if s.cfg.OnMessage != nil {
		s.cfg.OnMessage(*m)
	}
	s.emit("ticket-message-created", t, m, userID)
	if !m.FromAgent && t.Status == "closed" {
		s.setStatus(t, "open", userID)
	}
	return m
}

// markSent records that a message "to be sent" went out.
func (s *Server) markSent(ticketID, messageID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.messages[ticketID] {
		if m.ID == messageID && m.SentDatetime == nil {
			m.SentDatetime = ptr(timestamp(s.now()))
		}
	}
}

// ticketMessages copies a ticket's messages. The caller holds s.mu.
func (s *Server) ticketMessages(ticketID int64) []Message {
	out := []Message{}
	for _, m := range s.messages[ticketID] {
		out = append(out, *m)
	}
	return out
}

// listTicketMessages is the older, deprecated list: every message at once.
func (s *Server) listTicketMessages(w http.ResponseWriter, ticketID int64) {
	s.mu.Lock()
	t := s.ticket(ticketID)
	out := s.ticketMessages(ticketID)
	s.mu.Unlock()
	if t == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "meta": map[string]any{"next_cursor": nil, "prev_cursor": nil}, "object": "list"})
}

func (s *Server) getMessage(w http.ResponseWriter, ticketID, messageID int64) {
	s.mu.Lock()
	var found *Message
	for _, m := range s.messages[ticketID] {
		if m.ID == messageID {
			c := *m
			found = &c
		}
	}
	s.mu.Unlock()
	if found == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	writeJSON(w, http.StatusOK, *found)
}

// listMessages lists messages across tickets (ticket_id filters), newest
// first unless order_by=created_datetime:asc.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var filter int64
	if v := q.Get("ticket_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "Invalid query parameters.", map[string]any{"ticket_id": []string{"Not a valid integer."}})
			return
		}
		filter = n
	}
	switch q.Get("order_by") {
	case "", "created_datetime:asc", "created_datetime:desc":
	default:
		writeError(w, http.StatusBadRequest, "Invalid query parameters.", map[string]any{"order_by": []string{"Must be one of: created_datetime:asc, created_datetime:desc."}})
		return
	}
	s.mu.Lock()
	var out []Message
	for _, t := range s.tickets {
		if filter == 0 || t.ID == filter {
			out = append(out, s.ticketMessages(t.ID)...)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Message) int { return int(a.ID - b.ID) })
	if q.Get("order_by") != "created_datetime:asc" {
		slices.Reverse(out)
	}
	writePage(w, out, func(m Message) int64 { return m.ID }, limit, cur)
}
