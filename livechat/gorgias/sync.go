package gorgias

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Sync is the handler of JobSync. It reads the ticket's messages back from
// the API and relays, in the ticket's order, every public reply of a human
// agent not relayed yet; the engine drops a message id it has seen, so a
// delivery repeated, late, out of order, or replayed after a restart relays
// nothing twice, and one delivery catches up on any that never came. A
// delivery of a ticket change (ticket-closed, ticket-updated…) then ends
// the session if the agent closed the ticket (after relaying what the agent
// wrote before closing).
func (rc *Receiver) Sync(ctx context.Context, j switchboard.Job) error {
	var p syncPayload
	s, settings, err := rc.cfg.Load(ctx, j, &p)
	if err != nil || s == nil {
		return err // no session: nobody to relay to
	}
	if s.ExternalID == "" {
		// The job runs after the open job: the ticket never opened, or
		// opened while switchboard gave up on it.
		return rc.orphan(ctx, s, settings, p)
	}
	if p.TicketID != s.ExternalID {
		rc.cfg.Log.Warn("gorgias: delivery for a ticket that is not the session's; dropped", "session", s.ID, "ticket", p.TicketID, "session_ticket", s.ExternalID)
		return nil
	}
	closing := stateEvent(p.EventType)
	if closing && !s.Live() {
		return nil // over already (our own closing comes back too)
	}
	a, err := accountOf(settings)
	if err != nil {
		return err
	}
	// Nothing to read for a message already handled, or posted by
	// switchboard itself (the transcript, the notes): no API call spent.
	if p.MessageID != "" {
		id, _ := strconv.ParseInt(p.MessageID, 10, 64)
		if rc.wasHandled(s.ID, p.MessageID) || rc.cfg.Client.postedByUs(a, id) {
			return nil
		}
	}
	ticket, err := ticketOf(*s)
	if err != nil {
		return err
	}
	if err := rc.relay(ctx, a, s, ticket, p.MessageID); err != nil {
		return err
	}
	if closing {
		return rc.closeIfClosed(ctx, a, s, ticket)
	}
	return nil
}

// relay lists the ticket and hands every agent reply not yet handled to the
// engine, oldest first. The announced message, if the list does not have it
// yet, is read on its own.
func (rc *Receiver) relay(ctx context.Context, a account, s *switchboard.Session, ticket int64, announced string) error {
	ms, err := rc.cfg.Client.messages(ctx, a, ticket)
	if err != nil {
		return err
	}
	if announced != "" && !containsID(ms, announced) {
		m, err := rc.cfg.Client.message(ctx, a, ticket, announced)
		switch {
		case driverkit.StatusOf(err) == http.StatusNotFound:
			// Deleted since: nothing to relay.
		case err != nil:
			return err
		default:
			ms = append(ms, *m)
		}
	}
	for _, m := range ms {
		id := strconv.FormatInt(m.ID, 10)
		if rc.wasHandled(s.ID, id) {
			continue
		}
		if reply, ok := agentReply(s.ID, m); ok {
			if err := rc.cfg.Relay(ctx, reply, id); err != nil {
				return err
			}
		}
		rc.handled.Put(s.ID+"/"+id, struct{}{})
	}
	return nil
}

func (rc *Receiver) wasHandled(sessionID, messageID string) bool {
	return rc.handled.Has(sessionID + "/" + messageID)
}

func containsID(ms []Message, id string) bool {
	for _, m := range ms {
		if strconv.FormatInt(m.ID, 10) == id {
			return true
		}
	}
	return false
}

// closeIfClosed reads the ticket after a change: an assignee claims a
// waiting session, and a closed ticket ends the session. The engine
// ignores it when the session already ended (our own close comes back too) or
// when the bot's settings say to ignore agents closing.
func (rc *Receiver) closeIfClosed(ctx context.Context, a account, s *switchboard.Session, ticket int64) error {
	var t Ticket
	err := rc.cfg.Client.do(ctx, a, call{Op: "read ticket", Method: http.MethodGet, Path: "/tickets/" + strconv.FormatInt(ticket, 10), Out: &t})
	if driverkit.StatusOf(err) == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if t.AssigneeUser != nil && t.AssigneeUser.ID != 0 && s.Waiting() {
		// Gorgias's assignee is the claim.
		name := t.AssigneeUser.Name
		if name == "" {
			name = strings.TrimSpace(t.AssigneeUser.Firstname + " " + t.AssigneeUser.Lastname)
		}
		if err := rc.cfg.Engine.MarkClaimed(ctx, s.ID, name); err != nil {
			return err
		}
	}
	if t.Status != "closed" {
		return nil
	}
	return rc.cfg.Engine.Close(ctx, s.ID, switchboard.EndAgent)
}

// orphan handles an agent's message on a ticket switchboard gave up opening
// (an attempt made it but its answer was lost, and the open timeout passed):
// the user is back with the bot, so the agent is told once, on that ticket,
// that the conversation is over. The ticket is recognised by its
// external_id, read from the API, never by the delivery's word.
func (rc *Receiver) orphan(ctx context.Context, s *switchboard.Session, settings livechat.Resolved, p syncPayload) error {
	ticket, err := strconv.ParseInt(p.TicketID, 10, 64)
	if s.Live() || p.EventType != eventMessageCreated || err != nil {
		return nil
	}
	a, err := accountOf(settings)
	if err != nil {
		return err
	}
	var t Ticket
	err = rc.cfg.Client.do(ctx, a, call{Op: "read ticket", Method: http.MethodGet, Path: "/tickets/" + p.TicketID, Out: &t})
	if driverkit.StatusOf(err) == http.StatusNotFound || err == nil && t.ExternalID != s.ID {
		return nil
	}
	if err != nil {
		return err
	}
	m, err := rc.cfg.Client.message(ctx, a, ticket, p.MessageID)
	if driverkit.StatusOf(err) == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !fromHumanAgent(*m) {
		return nil
	}
	note := rc.cfg.Client.note(a, driverkit.OrphanNote, driverkit.OrphanRef(s.ID))
	return rc.cfg.Client.postOnce(ctx, a, ticket, note, "post note", true)
}
