package chatwoot

import (
	"context"
	"net/http"
	"strconv"

	"switchboard/livechat"
)

// Send posts one user message to the session's conversation as the
// contact's incoming message, with the message id in its source_id. On a
// retry it first looks for that source_id, so a message whose answer was
// lost is not posted twice. Chatwoot takes files only as uploads: a file
// switchboard keeps is uploaded (attachments.go), one elsewhere goes as its
// link.
func (c *Client) Send(ctx context.Context, r livechat.SendRequest) error {
	t, err := c.Threads.Open(r.Settings, r.Session)
	if err != nil {
		return err
	}
	if r.Attachment != nil && r.File != nil {
		return c.post(ctx, t.a, t.id, fileMessage(r), "post user file", r.Attempt > 0)
	}
	text := r.Text
	if f := r.Attachment; f != nil && f.URL != "" {
		text = f.URL
		if f.Name != "" {
			text = f.Name + "\n" + f.URL
		}
	}
	if text == "" {
		return nil // nothing an agent could read
	}
	m := newMessage{Content: text, MessageType: string(Incoming), SourceID: refMessage + strconv.FormatInt(r.Message.ID, 10)}
	return c.post(ctx, t.a, t.id, m, "post user message", r.Attempt > 0)
}

// conversation is a session's conversation, as driverkit.End and Note
// drive it.
type conversation struct {
	c  *Client
	a  account
	id int64
}

// PostNote posts a private note with ref as its source_id.
func (t conversation) PostNote(ctx context.Context, text, ref, op string, retry bool) error {
	return t.c.post(ctx, t.a, t.id, note(text, ref), op, retry)
}

// Close resolves the conversation.
func (t conversation) Close(ctx context.Context) error {
	return t.c.setStatus(ctx, t.a, t.id, "resolved")
}

// setStatus moves a conversation to open, resolved, pending or snoozed.
func (c *Client) setStatus(ctx context.Context, a account, conv int64, status string) error {
	return c.do(ctx, a, call{Op: "set conversation status", Method: http.MethodPost, Path: a.path("/conversations/%d/toggle_status", conv), Body: map[string]string{"status": status}})
}
