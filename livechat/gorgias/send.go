package gorgias

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"

	"switchboard"
	"switchboard/livechat"
)

// Send posts one user message on the session's ticket, from the customer,
// with the message's id as external_id. On a retry it first looks for that
// external_id, so a message whose answer was lost is not posted twice.
func (c *Client) Send(ctx context.Context, r livechat.SendRequest) error {
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	ticket, err := ticketOf(r.Session)
	if err != nil {
		return err
	}
	if r.Text == "" && r.Attachment == nil {
		return nil // nothing an agent could read
	}
	customer, err := c.customerOf(ctx, a, ticket)
	if err != nil {
		return err
	}
	m := c.customerMessage(customer, r.Text, strconv.FormatInt(r.Message.ID, 10), r.Attachment)
	return c.postOnce(ctx, a, ticket, m, "post user message", r.Attempt > 0)
}

// End posts the end note and closes the ticket when asked. Closing a closed
// ticket changes nothing, so only the note needs a look-up on a retry.
func (c *Client) End(ctx context.Context, r livechat.EndRequest) error {
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	ticket, err := ticketOf(r.Session)
	if err != nil {
		return err
	}
	if r.Note != "" {
		if err := c.postOnce(ctx, a, ticket, c.note(a, r.Note, refEnd+r.Session.ID), "post end note", r.Attempt > 0); err != nil {
			return err
		}
	}
	if !r.Close {
		return nil
	}
	return c.do(ctx, a, call{op: "close ticket", method: http.MethodPut, path: "/tickets/" + strconv.FormatInt(ticket, 10), body: map[string]string{"status": "closed"}})
}

// Note posts an internal note; on a retry it looks for the note an earlier
// attempt posted.
func (c *Client) Note(ctx context.Context, r livechat.NoteRequest) error {
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	ticket, err := ticketOf(r.Session)
	if err != nil {
		return err
	}
	ref := r.Ref
	if ref == "" {
		sum := sha256.Sum256([]byte(r.Text))
		ref = hex.EncodeToString(sum[:8])
	}
	return c.postOnce(ctx, a, ticket, c.note(a, r.Text, refNote+r.Session.ID+":"+ref), "post note", r.Attempt > 0)
}

// ticketOf reads the ticket id Open returned.
func ticketOf(s switchboard.Session) (int64, error) {
	id, err := strconv.ParseInt(s.ExternalID, 10, 64)
	if err != nil || id <= 0 {
		return 0, livechat.Permanent(fmt.Errorf("gorgias: session %s has no Gorgias ticket id (%q)", s.ID, s.ExternalID))
	}
	return id, nil
}

// customerOf returns the customer of a ticket, read once per process.
func (c *Client) customerOf(ctx context.Context, a account, ticket int64) (int64, error) {
	if id, ok := c.customers.Get(a.key(ticket)); ok {
		return id, nil
	}
	var t Ticket
	if err := c.do(ctx, a, call{op: "read ticket", method: http.MethodGet, path: "/tickets/" + strconv.FormatInt(ticket, 10), out: &t}); err != nil {
		return 0, err
	}
	if t.Customer == nil || t.Customer.ID == 0 {
		return 0, livechat.Permanent(fmt.Errorf("gorgias: ticket %d has no customer", ticket))
	}
	c.customers.Put(a.key(ticket), t.Customer.ID)
	return t.Customer.ID, nil
}
