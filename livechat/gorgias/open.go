package gorgias

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// The external ids switchboard sets on what it creates besides user messages
// (those carry the message id) and notes (driverkit.RefEnd, RefNote): the
// ticket's first message and the transcript note. The prefix also marks
// them as ours when they come back through the webhook.
const (
	refPrefix     = driverkit.RefPrefix
	refStart      = refPrefix + "start:"
	refTranscript = refPrefix + "transcript:"
)

// Open finds or creates the user's customer and opens a ticket whose
// external_id is the session id, with a first message from the customer; the
// bot transcript follows as an internal note. On a retry the ticket an earlier
// attempt made is found by its external_id instead of being made twice.
//
// The transcript is a note rather than part of the first message because it
// is context for agents, not something the customer wrote: as a note it is
// plainly marked, and nothing an agent does can send it back to anyone.
func (c *Client) Open(ctx context.Context, r livechat.OpenRequest) (string, error) {
	a, err := accountOf(r.Settings)
	if err != nil {
		return "", err
	}
	if r.Attempt > 0 {
		t, err := c.findTicket(ctx, a, r.Session.ID)
		if err != nil {
			return "", err
		}
		if t != nil {
			if t.Customer != nil && t.Customer.ID != 0 {
				c.customers.Put(a.key(t.ID), t.Customer.ID)
			}
			if err := c.postTranscript(ctx, a, t.ID, r, true); err != nil {
				return "", err
			}
			return strconv.FormatInt(t.ID, 10), nil
		}
	}
	u := livechat.ReadUserInfo(r.Session.Metadata)
	customer, err := c.customerFor(ctx, a, r.Session, u, r.BotName, r.Channel)
	if err != nil {
		return "", err
	}
	t, err := c.createTicket(ctx, a, r, u, customer)
	if err != nil {
		return "", err
	}
	c.customers.Put(a.key(t.ID), customer)
	if err := c.postTranscript(ctx, a, t.ID, r, false); err != nil {
		return "", err
	}
	return strconv.FormatInt(t.ID, 10), nil
}

// findTicket returns the ticket whose external_id is the session id, or nil.
func (c *Client) findTicket(ctx context.Context, a account, sessionID string) (*Ticket, error) {
	var p page[Ticket]
	err := c.do(ctx, a, call{Op: "find ticket", Method: http.MethodGet, Path: "/tickets",
		Query: url.Values{"external_id": {sessionID}, "limit": {"1"}}, Out: &p})
	if err != nil || len(p.Data) == 0 {
		return nil, err
	}
	return &p.Data[0], nil
}

// createTicket opens the ticket with the customer's first message: an
// api-channel ticket, which Gorgias's auto-reply rules leave alone.
func (c *Client) createTicket(ctx context.Context, a account, r livechat.OpenRequest, u livechat.UserInfo, customer int64) (*Ticket, error) {
	who := u.DisplayName()
	first := fmt.Sprintf("%s asked to talk to an agent in the chat of %s.", who, botLabel(r.BotName))
	subject := "Chat with " + who
	if who == "" {
		first = fmt.Sprintf("A user asked to talk to an agent in the chat of %s.", botLabel(r.BotName))
		subject = "Chat with a user of " + botLabel(r.BotName)
	}
	// Agents read messages, not a ticket's meta: the metadata is listed here.
	if lines := metadataLines(u); lines != "" {
		first += "\n\nAbout the user:\n" + lines
	}
	no := false
	in := Ticket{
		Channel: "api", Via: "api", FromAgent: &no, ExternalID: r.Session.ID, Subject: subject,
		Customer: &Customer{ID: customer},
		Meta: map[string]any{
			"switchboard": map[string]any{
				"session_id": r.Session.ID, "bot_id": r.Session.Client.BotID, "bot": r.BotName,
				"channel": string(r.Channel), "user_id": r.Session.Client.UserID,
			},
		},
	}
	if err := c.route(ctx, a, &in, r.Session.Routing); err != nil {
		return nil, err
	}
	if r.Session.Note != "" {
		first += "\n\nNote from the bot: " + r.Session.Note
	}
	in.Messages = []Message{c.customerMessage(customer, first, refStart+r.Session.ID, nil)}
	var out Ticket
	if err := c.do(ctx, a, call{Op: "create ticket", Method: http.MethodPost, Path: "/tickets", Body: in, Out: &out}); err != nil {
		return nil, err
	}
	if out.ID == 0 {
		return nil, livechat.Permanent(fmt.Errorf("gorgias: create ticket: the answer has no ticket id"))
	}
	for _, m := range out.Messages {
		c.posted.Put(a.key(m.ID), struct{}{})
	}
	return &out, nil
}

// botLabel names the bot in what agents read.
func botLabel(name string) string {
	if name == "" {
		return "the bot"
	}
	return name
}

// postTranscript posts the bot transcript as a note; check first looks for
// the note an earlier attempt may have posted.
func (c *Client) postTranscript(ctx context.Context, a account, ticket int64, r livechat.OpenRequest, check bool) error {
	text := livechat.Transcript(r.Transcript)
	if text == "" {
		return nil
	}
	return c.postOnce(ctx, a, ticket, c.note(a, text, refTranscript+r.Session.ID), "post transcript note", check)
}
