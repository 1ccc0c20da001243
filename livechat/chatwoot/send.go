package chatwoot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	conv, err := conversationOf(r.Session)
	if err != nil {
		return err
	}
	if r.Attachment != nil && r.File != nil {
		return c.post(ctx, a, conv, fileMessage(r), "post user file", r.Attempt > 0)
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
	return c.post(ctx, a, conv, m, "post user message", r.Attempt > 0)
}

// End posts the end note and resolves the conversation when asked.
// Resolving a resolved conversation changes nothing, so only the note needs
// a look-up on a retry.
func (c *Client) End(ctx context.Context, r livechat.EndRequest) error {
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	conv, err := conversationOf(r.Session)
	if err != nil {
		return err
	}
	if r.Note != "" {
		if err := c.post(ctx, a, conv, note(r.Note, refEnd+r.Session.ID), "post end note", r.Attempt > 0); err != nil {
			return err
		}
	}
	if !r.Close {
		return nil
	}
	return c.setStatus(ctx, a, conv, "resolved")
}

// setStatus moves a conversation to open, resolved, pending or snoozed.
func (c *Client) setStatus(ctx context.Context, a account, conv int64, status string) error {
	return c.do(ctx, a, call{op: "set conversation status", method: http.MethodPost, path: a.path("/conversations/%d/toggle_status", conv), body: map[string]string{"status": status}})
}

// Note posts a private note; on a retry it looks for the note an earlier
// attempt posted.
func (c *Client) Note(ctx context.Context, r livechat.NoteRequest) error {
	a, err := accountOf(r.Settings)
	if err != nil {
		return err
	}
	conv, err := conversationOf(r.Session)
	if err != nil {
		return err
	}
	ref := r.Ref
	if ref == "" {
		sum := sha256.Sum256([]byte(r.Text))
		ref = hex.EncodeToString(sum[:8])
	}
	return c.post(ctx, a, conv, note(r.Text, refNote+r.Session.ID+":"+ref), "post note", r.Attempt > 0)
}
