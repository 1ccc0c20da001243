package gorgiassim

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// emit records an event and queues a delivery for every active HTTP
// integration its type triggers, rendered now with the event's context:
// {ticket, message, event}. The caller holds s.mu.
func (s *Server) emit(typ string, t *Ticket, m *Message, userID int64) {
	ev := map[string]any{
		"id": json.Number(fmt.Sprint(s.id("event"))), "type": typ, "created_datetime": timestamp(s.now()),
		"context": fmt.Sprintf("%016x%016x", s.rnd.Uint64(), s.rnd.Uint64()), "data": map[string]any{},
		"object_type": "Ticket", "object_id": json.Number(fmt.Sprint(t.ID)), "user_id": nil,
	}
	if userID != 0 {
		ev["user_id"] = json.Number(fmt.Sprint(userID))
	}
	if m != nil {
		ev["object_type"], ev["object_id"] = "TicketMessage", json.Number(fmt.Sprint(m.ID))
	}
	var ctx map[string]any
	for _, in := range s.integrations {
		if in.DeactivatedDatetime != nil || !triggered(in.HTTP.Triggers, typ) {
			continue
		}
		if ctx == nil {
			ctx = map[string]any{"ticket": toMap(s.ticketOut(t, false)), "message": map[string]any{}, "event": ev}
			if m != nil {
				ctx["message"] = toMap(*m)
			}
		}
		d := s.cfg.Rendering.request(in.HTTP, ctx)
		d.tag = tag{integration: in.ID}
		if t.Customer != nil {
			d.customer = t.Customer.ID
		}
		d.eventID, d.eventType = ev["id"].(json.Number).String(), typ
		d.objectID = ev["object_id"].(json.Number).String()
		s.Dispatch.Enqueue(d.hook())
	}
}

// triggeredBy names the triggers an event type fires besides its own
// name: a ticket closed or reopened is a ticket updated, and its status
// changed; {{event.type}} then renders the event's own type, ticket-closed.
var triggeredBy = map[string][]string{
	"ticket-closed":   {"ticket-updated", "ticket-status-updated"},
	"ticket-reopened": {"ticket-updated", "ticket-status-updated"},
	// An assignment is a change of the ticket too.
	"ticket-assignment-updated": {"ticket-updated"},
}

// triggered reports whether an integration's triggers call it for an event
// type.
func triggered(triggers map[string]bool, typ string) bool {
	if triggers[typ] {
		return true
	}
	for _, t := range triggeredBy[typ] {
		if triggers[t] {
			return true
		}
	}
	return false
}

// toMap turns an object into the generic map templates read, numbers kept
// exact.
func toMap(v any) map[string]any {
	raw, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	return m
}
