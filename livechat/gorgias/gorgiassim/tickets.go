package gorgiassim

import (
	"net/http"
	"slices"
	"strconv"

	"switchboard/internal/simkit"
)

// ticketIn is a ticket as a client creates or updates it.
type ticketIn struct {
	Channel        *string        `json:"channel"`
	Via            *string        `json:"via"`
	FromAgent      *bool          `json:"from_agent"`
	ExternalID     *string        `json:"external_id"`
	Subject        *string        `json:"subject"`
	Status         *string        `json:"status"`
	Customer       *personIn      `json:"customer"`
	Meta           map[string]any `json:"meta"`
	Messages       []messageIn    `json:"messages"`
	ClosedDatetime *string        `json:"closed_datetime"`
	Priority       *string        `json:"priority"`
	Tags           []tagIn        `json:"tags"`
	AssigneeTeam   *idRef         `json:"assignee_team"`
	AssigneeUser   *idRef         `json:"assignee_user"`
}

// check validates the ticket's own fields.
func (in ticketIn) check(creating bool) errs {
	e := errs{}
	if creating && in.Via == nil {
		e.add("via", missingField)
	} else if in.Via != nil && !vias[*in.Via] {
		e.add("via", "Must be one of the known vias (for example api, helpdesk, email).")
	}
	if in.Channel != nil && !channels[*in.Channel] {
		e.add("channel", "Must be one of the known channels (for example api, chat, email).")
	}
	if in.ExternalID != nil && len(*in.ExternalID) > 255 {
		e.add("external_id", "Longer than maximum length 255.")
	}
	if in.Subject != nil && len(*in.Subject) > 998 {
		e.add("subject", "Longer than maximum length 998.")
	}
	if in.Status != nil && *in.Status != "open" && *in.Status != "closed" {
		e.add("status", "Must be one of: open, closed.")
	}
	if creating && (len(in.Messages) < 1 || len(in.Messages) > 500) {
		e.add("messages", "Length must be between 1 and 500: a ticket cannot be created without a message.")
	}
	return e
}

func (s *Server) createTicket(w http.ResponseWriter, r *http.Request, u User) {
	var in ticketIn
	if !decodeBody(w, r, &in) {
		return
	}
	e := in.check(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkRouting(in, e)
	senders := make([]*Person, len(in.Messages))
	for i := range in.Messages {
		sub, sender := s.checkMessage(&in.Messages[i])
		e.nest("messages", i, sub)
		senders[i] = sender
	}
	var customer *Customer
	if in.Customer != nil {
		var msg string
		if customer, msg = s.customerFor(in.Customer); customer == nil {
			e.add("customer", msg)
		}
	}
	for i, m := range in.Messages {
		if customer == nil && senders[i] != nil && m.FromAgent != nil && !*m.FromAgent {
			customer = s.customer(senders[i].ID)
		}
	}
	if customer == nil && len(e) == 0 {
		e.add("customer", "A ticket needs a customer: give customer, or a message from a customer.")
	}
	if len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to create ticket.", e)
		return
	}
	now := timestamp(s.now())
	t := &Ticket{
		ID: s.id("ticket"), ExternalID: in.ExternalID, Status: "open", Channel: "api", Via: *in.Via,
		Subject: in.Subject, Customer: customerPerson(customer), Meta: in.Meta, CreatedDatetime: now, UpdatedDatetime: now,
	}
	t.URI = ticketURI(t.ID)
	if in.Channel != nil {
		t.Channel = *in.Channel
	}
	if in.FromAgent != nil {
		t.FromAgent = *in.FromAgent
	}
	if t.Meta == nil {
		t.Meta = map[string]any{}
	}
	t.Priority, t.Tags = "normal", []TicketTag{}
	s.applyRouting(t, in)
	if in.Status != nil && *in.Status == "closed" {
		t.Status, t.ClosedDatetime = "closed", ptr(now)
	}
	s.tickets = append(s.tickets, t)
	s.emit("ticket-created", t, nil, u.ID)
	for i := range in.Messages {
		s.addMessage(t, &in.Messages[i], senders[i], u.ID)
	}
	writeJSON(w, s.cfg.CreateStatus, s.ticketOut(t, true))
}

// ticketURI is a ticket's uri, as Gorgias writes it.
func ticketURI(id int64) string { return "/api/tickets/" + strconv.FormatInt(id, 10) + "/" }

// ticket finds a ticket by id. The caller holds s.mu.
func (s *Server) ticket(id int64) *Ticket {
	for _, t := range s.tickets {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// ticketOut is the ticket as answered: the customer as it is now, and the
// messages when asked. The caller holds s.mu.
func (s *Server) ticketOut(t *Ticket, withMessages bool) Ticket {
	out := *t
	if c := s.customer(t.Customer.ID); c != nil {
		out.Customer = customerPerson(c)
	}
	out.Messages = nil
	if withMessages {
		out.Messages = []Message{}
		for _, m := range s.messages[t.ID] {
			out.Messages = append(out.Messages, *m)
		}
	}
	return out
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	var out []Ticket
	for _, t := range s.tickets {
		if v := q.Get("external_id"); v != "" && strOr(t.ExternalID) != v {
			continue
		}
		if v := q.Get("customer_id"); v != "" && strconv.FormatInt(t.Customer.ID, 10) != v {
			continue
		}
		out = append(out, s.ticketOut(t, false))
	}
	s.mu.Unlock()
	if q.Get("order_by") != "created_datetime:asc" && q.Get("order_by") != "updated_datetime:asc" {
		slices.Reverse(out) // newest first, Gorgias's default
	}
	writePage(w, out, func(t Ticket) int64 { return t.ID }, limit, cur)
}

func (s *Server) getTicket(w http.ResponseWriter, id int64) {
	inLock(s, w, func() *Ticket { return s.ticket(id) }, func(t *Ticket) {
		writeJSON(w, http.StatusOK, s.ticketOut(t, true))
	})
}

// updateTicket changes what is given (a partial update); closing sets
// closed_datetime. It answers 202 with the ticket, as Gorgias's PUTs do.
func (s *Server) updateTicket(w http.ResponseWriter, r *http.Request, id int64, u User) {
	var in ticketIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := in.check(false)
	s.checkRouting(in, e)
	if len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to update ticket.", e)
		return
	}
	t := s.ticket(id)
	if t == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	status := t.Status
	if in.ClosedDatetime != nil && in.Status == nil {
		in.Status = ptr("closed")
	}
	if in.Status != nil {
		status = *in.Status
	}
	if in.Subject != nil {
		t.Subject = in.Subject
	}
	if in.ExternalID != nil {
		t.ExternalID = in.ExternalID
	}
	if in.Meta != nil {
		t.Meta = in.Meta
	}
	if s.applyRouting(t, in) {
		s.emit("ticket-assignment-updated", t, nil, u.ID)
	}
	s.setStatus(t, status, u.ID)
	writeJSON(w, http.StatusAccepted, s.ticketOut(t, false))
}

// setStatus opens or closes a ticket and emits the event of the change:
// ticket-closed, ticket-reopened, or ticket-updated when the status stayed
// (types of https://developers.gorgias.com/reference/the-event-object).
// The caller holds s.mu.
func (s *Server) setStatus(t *Ticket, status string, userID int64) {
	changed := status != t.Status
	now := timestamp(s.now())
	t.Status, t.UpdatedDatetime = status, now
	event := "ticket-updated"
	if changed && status == "closed" {
		t.ClosedDatetime, event = ptr(now), "ticket-closed"
	}
	if changed && status == "open" {
		t.ClosedDatetime, event = nil, "ticket-reopened"
	}
	s.emit(event, t, nil, userID)
}

func (s *Server) deleteTicket(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.tickets, func(t *Ticket) bool { return t.ID == id })
	if i < 0 {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	s.tickets = slices.Delete(s.tickets, i, i+1)
	delete(s.messages, id)
	w.WriteHeader(http.StatusNoContent)
}

// inLock runs f with what find finds, holding s.mu, or answers 404 when it
// finds nothing.
func inLock[T any](s *Server, w http.ResponseWriter, find func() *T, f func(*T)) {
	simkit.InLock(&s.mu, find, func() { writeError(w, http.StatusNotFound, "Resource not found.", nil) }, f)
}
