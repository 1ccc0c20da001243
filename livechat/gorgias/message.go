package gorgias

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"switchboard/livechat"
)

// customerMessage is a message from the customer, imported as already sent
// (sent_datetime set) so that Gorgias does not try to deliver it anywhere.
func (c *Client) customerMessage(customer int64, text, externalID string, att *livechat.Attachment) Message {
	public := true
	m := Message{
		Channel: "api", Via: "api", FromAgent: false, Public: &public,
		Sender:   &Person{ID: customer},
		BodyText: text, BodyHTML: textToHTML(text), ExternalID: externalID,
		SentDatetime: c.clock.Now().UTC().Format(time.RFC3339Nano),
	}
	if att != nil {
		m.Attachments = []Attachment{attachment(*att)}
	}
	return m
}

// attachment is a user's file as Gorgias requires it: with a name and a
// content type, which channels do not always know.
func attachment(a livechat.Attachment) Attachment {
	out := Attachment{URL: a.URL, Name: a.Name, ContentType: a.ContentType, Size: a.Size}
	if out.Name == "" {
		out.Name = "file"
		if u, err := url.Parse(a.URL); err == nil {
			if base := path.Base(u.Path); base != "/" && base != "." {
				out.Name = base
			}
		}
	}
	if out.ContentType == "" {
		out.ContentType = "application/octet-stream"
		if t := mime.TypeByExtension(path.Ext(out.Name)); t != "" {
			out.ContentType = t
		}
	}
	return out
}

// note is an internal note by the API user: agents see it, customers never do.
func (c *Client) note(a account, text, externalID string) Message {
	public := false
	return Message{
		Channel: "internal-note", Via: "api", FromAgent: true, Public: &public,
		Sender:   &Person{Email: a.username},
		BodyText: text, BodyHTML: textToHTML(text), ExternalID: externalID,
		SentDatetime: c.clock.Now().UTC().Format(time.RFC3339Nano),
	}
}

// postOnce posts a message to a ticket; with check it first looks for a
// message with the same external_id (made by an earlier attempt whose answer
// was lost) and posts nothing if there is one.
func (c *Client) postOnce(ctx context.Context, a account, ticket int64, m Message, op string, check bool) error {
	if check {
		found, err := c.hasMessage(ctx, a, ticket, m.ExternalID)
		if err != nil || found {
			return err
		}
	}
	var out Message
	if err := c.do(ctx, a, call{Op: op, Method: http.MethodPost, Path: "/tickets/" + strconv.FormatInt(ticket, 10) + "/messages", Body: m, Out: &out}); err != nil {
		return err
	}
	c.posted.Put(a.key(out.ID), struct{}{})
	return nil
}

// hasMessage reports whether the ticket has a message with this external_id.
func (c *Client) hasMessage(ctx context.Context, a account, ticket int64, externalID string) (bool, error) {
	ms, err := c.messages(ctx, a, ticket)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.ExternalID == externalID {
			return true, nil
		}
	}
	return false, nil
}

// messages lists every message of a ticket, oldest first, page by page.
func (c *Client) messages(ctx context.Context, a account, ticket int64) ([]Message, error) {
	var all []Message
	q := url.Values{"ticket_id": {strconv.FormatInt(ticket, 10)}, "order_by": {"created_datetime:asc"}, "limit": {"100"}}
	for range 1000 {
		var p page[Message]
		if err := c.do(ctx, a, call{Op: "list ticket messages", Method: http.MethodGet, Path: "/messages", Query: q, Out: &p}); err != nil {
			return nil, err
		}
		all = append(all, p.Data...)
		if p.Meta.NextCursor == "" || len(p.Data) == 0 {
			return all, nil
		}
		q.Set("cursor", p.Meta.NextCursor)
	}
	return nil, livechat.Permanent(fmt.Errorf("gorgias: list ticket messages: ticket %d has more than 100000 messages", ticket))
}

// message reads one message of a ticket.
func (c *Client) message(ctx context.Context, a account, ticket int64, id string) (*Message, error) {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil, &APIError{Op: "read message", Status: http.StatusNotFound, Msg: "message id " + strconv.Quote(id) + " is not a number"}
	}
	var m Message
	err := c.do(ctx, a, call{Op: "read message", Method: http.MethodGet, Path: "/tickets/" + strconv.FormatInt(ticket, 10) + "/messages/" + id, Out: &m})
	if err != nil {
		return nil, err
	}
	return &m, nil
}
