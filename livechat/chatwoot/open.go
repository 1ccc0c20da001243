package chatwoot

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// The source_ids switchboard sets on what it posts besides notes
// (driverkit.RefEnd, RefNote): the user's messages (with the message id)
// and the opening note with the transcript. The prefix also marks them as
// switchboard's when they come back through the webhook.
const (
	refPrefix  = driverkit.RefPrefix
	refMessage = refPrefix + "message:"
	refOpen    = refPrefix + "open:"
)

// sessionAttr is the conversation attribute that names its session: a
// retry finds the conversation an earlier attempt opened by it.
const sessionAttr = "switchboard_session_id"

// Open finds or creates the user's contact, adds the contact to the bot's
// inbox with the session id as source_id (the routing key every webhook
// carries back), opens a conversation there, and posts a private note that
// says who asked for an agent, with the bot transcript. On a retry the
// conversation an earlier attempt opened is found instead of made twice.
func (c *Client) Open(ctx context.Context, r livechat.OpenRequest) (string, error) {
	a, err := accountOf(r.Settings)
	if err != nil {
		return "", err
	}
	u := livechat.ReadUserInfo(r.Session.Metadata)
	contact, err := c.contactFor(ctx, a, r.Session, u, r.BotName, r.Channel)
	if err != nil {
		return "", err
	}
	var conv int64
	if r.Attempt > 0 {
		if conv, err = c.findConversation(ctx, a, contact, r.Session.ID); err != nil {
			return "", err
		}
	}
	if conv == 0 {
		if conv, err = c.createConversation(ctx, a, r, contact, r.Attempt > 0); err != nil {
			return "", err
		}
	}
	if err := c.route(ctx, a, conv, r.Session.Routing); err != nil {
		return "", err
	}
	text := fmt.Sprintf("%s asked to talk to an agent in the chat of %s.", u.Label(r.Session.Client.UserID), botLabel(r.BotName))
	if r.Session.Note != "" {
		text += "\n\nNote from the bot: " + r.Session.Note
	}
	if t := livechat.Transcript(r.Transcript); t != "" {
		text += "\n\n" + t
	}
	if err := c.post(ctx, a, conv, note(text, refOpen+r.Session.ID), "post transcript note", r.Attempt > 0); err != nil {
		return "", err
	}
	return idOf(conv), nil
}

// botLabel names the bot in what agents read.
func botLabel(name string) string {
	if name == "" {
		return "the bot"
	}
	return name
}

// findConversation returns the contact's conversation in the inbox that
// names the session, or 0. Chatwoot lists a contact's latest conversations
// first; the session's is among the newest.
func (c *Client) findConversation(ctx context.Context, a account, contact int64, sessionID string) (int64, error) {
	var convs list[Conversation]
	if err := c.do(ctx, a, call{Op: "list contact conversations", Method: http.MethodGet, Path: a.path("/contacts/%d/conversations", contact), Out: &convs}); err != nil {
		return 0, err
	}
	for _, cv := range convs.Payload {
		if cv.InboxID == a.inbox && cv.AdditionalAttributes[sessionAttr] == sessionID {
			return cv.ID, nil
		}
	}
	return 0, nil
}

// createConversation adds the contact to the inbox under the session id
// and opens the conversation there. With check it first looks whether an
// earlier attempt added the contact (a 422 says so too).
func (c *Client) createConversation(ctx context.Context, a account, r livechat.OpenRequest, contact int64, check bool) (int64, error) {
	added := false
	if check {
		var ct struct {
			Payload struct {
				ContactInboxes []struct {
					SourceID string `json:"source_id"`
				} `json:"contact_inboxes"`
			} `json:"payload"`
		}
		if err := c.do(ctx, a, call{Op: "read contact", Method: http.MethodGet, Path: a.path("/contacts/%d", contact), Out: &ct}); err != nil {
			return 0, err
		}
		for _, ci := range ct.Payload.ContactInboxes {
			added = added || ci.SourceID == r.Session.ID
		}
	}
	if !added {
		ci := map[string]any{"inbox_id": a.inbox, "source_id": r.Session.ID}
		err := c.do(ctx, a, call{Op: "add contact to inbox", Method: http.MethodPost, Path: a.path("/contacts/%d/contact_inboxes", contact), Body: ci})
		if err != nil && driverkit.StatusOf(err) != http.StatusUnprocessableEntity {
			return 0, err
		}
	}
	in := map[string]any{
		"source_id": r.Session.ID, "inbox_id": a.inbox, "contact_id": contact, "status": "open",
		"additional_attributes": map[string]any{
			sessionAttr: r.Session.ID, "switchboard_bot": r.BotName, "switchboard_channel": string(r.Channel),
		},
	}
	var out Conversation
	if err := c.do(ctx, a, call{Op: "create conversation", Method: http.MethodPost, Path: a.path("/conversations"), Body: in, Out: &out}); err != nil {
		return 0, err
	}
	if out.ID == 0 {
		return 0, livechat.Permanent(errorf("create conversation: the answer has no conversation id"))
	}
	return out.ID, nil
}

// conversationOf reads the conversation id Open returned.
func conversationOf(s switchboard.Session) (int64, error) {
	id, err := strconv.ParseInt(s.ExternalID, 10, 64)
	if err != nil || id <= 0 {
		return 0, livechat.Permanent(errorf("session %s has no Chatwoot conversation id (%q)", s.ID, s.ExternalID))
	}
	return id, nil
}
