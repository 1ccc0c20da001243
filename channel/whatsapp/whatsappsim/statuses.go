package whatsappsim

import (
	"slices"
	"time"
)

// statusRank orders statuses: a message never goes back to a lower one.
var statusRank = map[string]int{StatusAccepted: 0, StatusSent: 1, StatusDelivered: 2, StatusRead: 3, StatusFailed: 4}

// planStatuses posts the statuses of a sent message after StatusDelay (or
// the late-statuses switch's delay): in order, or reversed when statuses
// are reordered; "read" only when customers read at once (SetAutoRead).
// The caller holds s.mu.
func (s *Sim) planStatuses(m *Sent, statuses ...string) {
	if !s.sw.autoRead() {
		statuses = slices.DeleteFunc(statuses, func(st string) bool { return st == StatusRead })
	}
	if s.sw.reorderStatuses {
		statuses = slices.Clone(statuses)
		slices.Reverse(statuses)
	}
	delay := s.cfg.StatusDelay + s.sw.statusDelay
	s.timers++
	time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.timers--
		for _, st := range statuses {
			s.status(m, st)
		}
	})
}

// status posts one status of m and records it. The caller holds s.mu.
func (s *Sim) status(m *Sent, st string) {
	if statusRank[st] > statusRank[m.Status] {
		m.Status = st
	}
	now := s.now()
	ev := map[string]any{"id": m.ID, "status": st, "timestamp": unix(now), "recipient_id": m.To}
	switch st {
	case StatusFailed:
		m.Error = errWindow()
		ev["errors"] = []map[string]any{{"code": m.Error.Code, "title": m.Error.Title, "message": m.Error.Message,
			"error_data": map[string]any{"details": m.Error.Details}, "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}}
	case StatusSent, StatusDelivered:
		category := "service"
		if m.Type == "template" {
			category = "utility"
		}
		ev["pricing"] = map[string]any{"billable": category != "service", "pricing_model": "PMP", "category": category}
	}
	s.notify()
	s.emit(event{status: ev})
}

// CustomerRead is the customer opening the conversation: every delivered
// message to waID is read, and a "read" status posted for each (needed
// only when SetAutoRead(false)).
func (s *Sim) CustomerRead(waID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[waID]
	if c == nil {
		return
	}
	for _, e := range c.log {
		if e.Out != nil && (e.Out.Status == StatusSent || e.Out.Status == StatusDelivered) {
			s.status(e.Out, StatusRead)
		}
	}
}

// waitTimers is how often WaitDeliveries looks again while statuses are
// planned.
const waitTimers = 10 * time.Millisecond
