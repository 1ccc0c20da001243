package whatsappsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// serveSend answers POST /{phone-number-id}/messages: a message, or a
// customer's message marked read.
func (s *Sim) serveSend(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	if err != nil {
		writeGraphError(w, errParam("The request body could not be read: "+err.Error()))
		return
	}
	var req sendRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		writeGraphError(w, errParam("The request body is not valid JSON: "+err.Error()))
		return
	}
	switch {
	case req.MessagingProduct == nil:
		writeGraphError(w, errParam("The parameter messaging_product is required."))
		return
	case *req.MessagingProduct != "whatsapp":
		writeGraphError(w, errParam(fmt.Sprintf("Param messaging_product must be one of {WHATSAPP} - got %q.", *req.MessagingProduct)))
		return
	case req.Status != "":
		s.markRead(w, &req)
		return
	}
	m, gerr := s.parseSend(&req, raw)
	if gerr == nil {
		gerr = s.accept(m)
	}
	if gerr != nil {
		if m != nil {
			s.mu.Lock()
			m.Error, m.Status = gerr, ""
			s.refused = append(s.refused, *m)
			s.mu.Unlock()
		}
		writeGraphError(w, gerr)
		return
	}
	msg := map[string]any{"id": m.ID}
	if m.Type == "template" {
		msg["message_status"] = "accepted"
	}
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp",
		"contacts": []map[string]string{{"input": *req.To, "wa_id": m.To}}, "messages": []any{msg}})
}

// parseSend checks the envelope and the message; the message is returned
// (with what it says) even when refused, once its recipient is known.
func (s *Sim) parseSend(req *sendRequest, raw []byte) (*Sent, *GraphError) {
	if req.To == nil || *req.To == "" {
		return nil, errParam("The parameter to is required.")
	}
	if req.RecipientType != "" && req.RecipientType != "individual" {
		return nil, errParam(fmt.Sprintf("Param recipient_type must be one of {INDIVIDUAL} - got %q.", req.RecipientType))
	}
	waID, ok := normalizePhone(*req.To)
	if !ok {
		return nil, errParam(fmt.Sprintf("Param to must be a phone number or a WhatsApp id - got %q.", *req.To))
	}
	typ := "text"
	if req.Type != nil {
		typ = *req.Type
	}
	m := &Sent{To: waID, Type: typ, Body: raw, Time: s.now()}
	if !slices.Contains(messageTypes, typ) {
		return m, errParam(fmt.Sprintf("Param type must be one of {%s} - got %q.", strings.ToUpper(strings.Join(messageTypes, ", ")), typ))
	}
	return m, validate(req, m)
}

// normalizePhone turns a recipient into a wa_id: its digits, with the
// spaces, dashes, dots, brackets and leading + people write removed.
func normalizePhone(to string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(to) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	n := b.Len()
	return b.String(), n >= 6 && n <= 15
}

// accept checks what needs the simulator's state (media ids, templates,
// rate limits), then records the message and plans its statuses: a
// free-form message outside the customer service window is accepted and
// then fails with 131047, as on Meta.
func (s *Sim) accept(m *Sent) *GraphError {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if m.Media != nil && m.Media.ID != "" {
		md, ok := s.media[m.Media.ID]
		if !ok || md.expired(now) {
			return errParam(fmt.Sprintf("Media id %s was not found: upload the file with POST /{phone-number-id}/media first (uploads last 30 days).", m.Media.ID))
		}
		m.Media.MimeType, m.Media.Data = md.mimeType, md.data
	}
	if m.Template != nil {
		if e := s.renderTemplate(m); e != nil {
			return e
		}
	}
	if s.sw.throughput > 0 && countSince(s.sendTimes, now.Add(-time.Second)) >= s.sw.throughput {
		return errThroughput()
	}
	c := s.customer(m.To, "")
	if s.sw.pairLimit > 0 && countSince(c.sends, now.Add(-s.sw.pairWindow)) >= s.sw.pairLimit {
		return errPair()
	}
	s.sendTimes = append(keepSince(s.sendTimes, now.Add(-time.Second)), now)
	c.sends = append(keepSince(c.sends, now.Add(-max(s.sw.pairWindow, time.Second))), now)
	m.ID, m.Status = wamid(), StatusAccepted
	c.log = append(c.log, Entry{Out: m})
	c.typingUntil = time.Time{}
	if m.Type != "template" && !s.windowOpen(c) {
		s.planStatuses(m, StatusFailed)
	} else {
		s.planStatuses(m, StatusSent, StatusDelivered, StatusRead)
	}
	s.notify()
	return nil
}

// countSince counts the times at or after since.
func countSince(ts []time.Time, since time.Time) int {
	return len(keepSince(ts, since))
}

// keepSince keeps the times at or after since (ts is in order).
func keepSince(ts []time.Time, since time.Time) []time.Time {
	i, _ := slices.BinarySearchFunc(ts, since, func(a, b time.Time) int { return a.Compare(b) })
	return ts[i:]
}

// markRead answers {"status":"read","message_id"} (with an optional
// typing indicator, shown for up to 25 seconds or until the business
// answers): the customer's message is marked read.
func (s *Sim) markRead(w http.ResponseWriter, req *sendRequest) {
	if req.Status != "read" {
		writeGraphError(w, errParam(fmt.Sprintf("Param status must be one of {READ} - got %q.", req.Status)))
		return
	}
	if req.MessageID == "" {
		writeGraphError(w, errParam("The parameter message_id is required."))
		return
	}
	if req.TypingIndicator != nil && req.TypingIndicator.Type != "text" {
		writeGraphError(w, errParam(fmt.Sprintf("Param typing_indicator['type'] must be one of {TEXT} - got %q.", req.TypingIndicator.Type)))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, waID := range s.order {
		c := s.customers[waID]
		for _, e := range c.log {
			if e.In == nil || e.In.ID != req.MessageID {
				continue
			}
			e.In.Read = true
			if req.TypingIndicator != nil {
				c.typingUntil = s.now().Add(typingFor)
			}
			s.notify()
			writeJSON(w, http.StatusOK, map[string]any{"success": true})
			return
		}
	}
	writeGraphError(w, errParam(fmt.Sprintf("Param message_id: no message %s was received by this number.", req.MessageID)))
}
