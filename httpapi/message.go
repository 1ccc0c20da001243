package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
	"switchboard/httpx"
)

// message is a message as the API shows it: the CSML Studio fields
// (conversation_id, direction, interaction_order, payload) and ours. In the
// history, interaction_order is the message's place in its conversation; in
// an answer (answerOf), its place in the answer.
type message struct {
	ID               int64                 `json:"id"`
	ConversationID   string                `json:"conversation_id"`
	Direction        switchboard.Direction `json:"direction"`
	InteractionOrder int                   `json:"interaction_order"`
	Payload          switchboard.Payload   `json:"payload"`
	Sender           switchboard.Sender    `json:"sender"`
	RequestID        string                `json:"request_id,omitempty"`
	SessionID        string                `json:"session_id,omitempty"`
	CreatedAt        time.Time             `json:"created_at"`
}

func messageOf(m switchboard.Message) message {
	return message{
		ID: m.ID, ConversationID: m.ConversationID, Direction: m.Direction, InteractionOrder: m.InteractionOrder,
		Payload: m.Payload, Sender: m.Sender, RequestID: m.RequestID, SessionID: m.SessionID, CreatedAt: m.CreatedAt,
	}
}

func messagesOf(ms []switchboard.Message) []message {
	out := make([]message, len(ms))
	for i, m := range ms {
		out[i] = messageOf(m)
	}
	return out
}

// answerOf is the messages of one answer numbered as CSML Studio numbers
// them: interaction_order counts from 0 within the answer, not across the
// conversation.
func answerOf(ms []switchboard.Message) []message {
	out := messagesOf(ms)
	for i := range out {
		out[i].InteractionOrder = i
	}
	return out
}

// clientOut is a client as CSML Studio shows it.
type clientOut struct {
	BotID     string `json:"bot_id"`
	ChannelID string `json:"channel_id"`
	UserID    string `json:"user_id"`
}

func clientOf(k switchboard.ClientKey) clientOut {
	return clientOut{BotID: k.BotID, ChannelID: k.ChannelID, UserID: k.UserID}
}

// History page sizes.
const (
	defaultPage = 50
	maxPage     = 500
)

// historyPage is the answer of GET /v1/api/messages.
type historyPage struct {
	Client   clientOut `json:"client"`
	Messages []message `json:"messages"`
	// HasMore says whether more messages lie beyond this page: before the
	// first (when paging back) or after the last (when reading forward).
	HasMore bool `json:"has_more"`
}

// messages answers a user's history: the last page by default, the page
// before a message id (?before=ID), or the messages after one (?after=ID),
// oldest first in every case.
func (a *API) messages(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	key := switchboard.ClientKey{BotID: c.channel.BotID, ChannelID: c.channel.ID, UserID: q.Get("user_id")}
	if key.UserID == "" {
		a.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "user_id is missing: GET /v1/api/messages?user_id=U[&limit=N][&before=ID|&after=ID]"))
		return
	}
	limit, err := limitParam(q, defaultPage)
	var before, after int64
	if err == nil {
		before, err = intParam(q.Get("before"), "before", 0)
	}
	if err == nil {
		after, err = intParam(q.Get("after"), "after", 0)
	}
	if err == nil && q.Has("before") && q.Has("after") {
		err = switchboard.Errorf(switchboard.EINVALID, "before and after cannot be used together: page back with before, read forward with after")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page := historyPage{Client: clientOf(key)}
	err = a.store.View(r.Context(), func(tx switchboard.Tx) error {
		var ms []switchboard.Message
		var err error
		if q.Has("after") {
			ms, err = tx.MessagesAfter(r.Context(), key, after, int(limit)+1)
			if len(ms) > int(limit) {
				ms, page.HasMore = ms[:limit], true
			}
		} else {
			ms, err = tx.LastMessages(r.Context(), key, before, int(limit)+1)
			if len(ms) > int(limit) {
				ms, page.HasMore = ms[1:], true
			}
		}
		page.Messages = messagesOf(ms)
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, page)
}

// limitParam reads the page size ?limit=, def when absent.
func limitParam(q url.Values, def int64) (int64, error) {
	limit, err := intParam(q.Get("limit"), "limit", def)
	if err == nil && (limit < 1 || limit > maxPage) {
		err = switchboard.Errorf(switchboard.EINVALID, "limit %d is out of range: use 1 to %d", limit, maxPage)
	}
	return limit, err
}

// intParam reads a whole number query parameter, or def when absent.
func intParam(v, name string, def int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, switchboard.Errorf(switchboard.EINVALID, "%s %q is not a whole number", name, v)
	}
	return n, nil
}
