package gorgias

import (
	"context"
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
	t, err := c.Threads.Open(r.Settings, r.Session)
	if err != nil || r.Text == "" && r.Attachment == nil {
		return err // an empty message: nothing an agent could read
	}
	customer, err := c.customerOf(ctx, t.a, t.id)
	if err != nil {
		return err
	}
	m := c.customerMessage(customer, r.Text, strconv.FormatInt(r.Message.ID, 10), r.Attachment)
	return c.postOnce(ctx, t.a, t.id, m, "post user message", r.Attempt > 0)
}

// ticket is a session's ticket, as driverkit.End and Note drive it.
type ticket struct {
	c  *Client
	a  account
	id int64
}

// PostNote posts an internal note with ref as its external_id.
func (t ticket) PostNote(ctx context.Context, text, ref, op string, retry bool) error {
	return t.c.postOnce(ctx, t.a, t.id, t.c.note(t.a, text, ref), op, retry)
}

// Close closes the ticket.
func (t ticket) Close(ctx context.Context) error {
	return t.c.do(ctx, t.a, call{Op: "close ticket", Method: http.MethodPut, Path: "/tickets/" + strconv.FormatInt(t.id, 10), Body: map[string]string{"status": "closed"}})
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
	if err := c.do(ctx, a, call{Op: "read ticket", Method: http.MethodGet, Path: "/tickets/" + strconv.FormatInt(ticket, 10), Out: &t}); err != nil {
		return 0, err
	}
	if t.Customer == nil || t.Customer.ID == 0 {
		return 0, livechat.Permanent(fmt.Errorf("gorgias: ticket %d has no customer", ticket))
	}
	c.customers.Put(a.key(ticket), t.Customer.ID)
	return t.Customer.ID, nil
}
