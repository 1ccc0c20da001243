package desk

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
)

// Replies are plain text of at most maxReplyRunes characters. A sign-off with
// no text of the agent's own says defaultSignOff before the end question.
const (
	maxReplyRunes  = 4000
	defaultSignOff = "Thanks for contacting us!"
)

// textBody is the body of reply and signoff; a sign-off may also hand
// values back to the bot (event.handback of its END event).
type textBody struct {
	Text     string            `json:"text"`
	Handback map[string]string `json:"handback,omitempty"`
}

// claim assigns a waiting session to the caller.
func (h *handler) claim(w http.ResponseWriter, r *http.Request, c *Caller) {
	id := r.PathValue("id")
	if err := h.take(r.Context(), id, c, "You cannot claim it."); err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerSession(w, r, id, c)
}

// reply sends the caller's text to the user; replying to a waiting session
// claims it first.
func (h *handler) reply(w http.ResponseWriter, r *http.Request, c *Caller) {
	var in textBody
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	text, err := replyText(in.Text, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.send(w, r, c, text, nil)
}

// signOff sends the caller's closing words (or the default ones) with the
// sign-off token: the user gets them and the question that ends the session.
func (h *handler) signOff(w http.ResponseWriter, r *http.Request, c *Caller) {
	var in textBody
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	text, err := replyText(in.Text, true)
	if err == nil {
		err = handbackValues(in.Handback)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.send(w, r, c, text+" "+switchboard.PayloadSessionEnd, in.Handback)
}

// closeSession ends a session without the user's confirmation, as an agent
// closing a ticket does: the bot gets LIVECHAT_SESSION_END with reason
// agent_closed.
func (h *handler) closeSession(w http.ResponseWriter, r *http.Request, c *Caller) {
	ctx, id := r.Context(), r.PathValue("id")
	if err := h.take(ctx, id, c, "You cannot close it."); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.engine.Close(ctx, id, switchboard.EndAgent); err != nil {
		h.fail(w, r, fmt.Errorf("close session %s: %w", id, err))
		return
	}
	s, err := h.readSession(ctx, id, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if s.Live() {
		h.fail(w, r, switchboard.Errorf(switchboard.ECONFLICT,
			"this bot's settings keep a conversation open when an agent closes it: use Sign off so the customer can end it"))
		return
	}
	h.answerSession(w, r, id, c)
}

// send claims the session for the caller if needed and delivers text, and
// the values handed back to the bot.
func (h *handler) send(w http.ResponseWriter, r *http.Request, c *Caller, text string, handback map[string]string) {
	ctx, id := r.Context(), r.PathValue("id")
	if err := h.take(ctx, id, c, "Your message was not delivered."); err != nil {
		h.fail(w, r, err)
		return
	}
	h.deliver(w, r, c, engine.AgentReply{Text: text, Handback: handback}, "Your message was not delivered.")
}

// deliver sends the caller's reply (text or files) to the user of the
// session the caller has taken, and answers the session.
func (h *handler) deliver(w http.ResponseWriter, r *http.Request, c *Caller, reply engine.AgentReply, consequence string) {
	ctx, id := r.Context(), r.PathValue("id")
	reply.SessionID, reply.AgentID, reply.AgentName = id, c.Agent.ID, c.Agent.Name
	err := h.engine.Reply(ctx, reply)
	if switchboard.ErrorCode(err) == switchboard.EGONE {
		err = h.gone(ctx, id, c, consequence)
	}
	if err != nil {
		h.fail(w, r, fmt.Errorf("reply to session %s: %w", id, err))
		return
	}
	h.answerSession(w, r, id, c)
}

// take makes sure the desk session is one the caller sees, is live and is
// the caller's, claiming it when nobody has. An ended session is EGONE, with why and consequence in the
// message; one claimed by another agent is ECONFLICT.
func (h *handler) take(ctx context.Context, id string, c *Caller, consequence string) error {
	s, err := h.readSession(ctx, id, c)
	if err != nil {
		return err
	}
	if s.Live() && s.AgentID != c.Agent.ID { // the caller's own session needs no claim
		err = h.engine.Claim(ctx, id, c.Agent.ID, c.Agent.Name)
	}
	if !s.Live() || switchboard.ErrorCode(err) == switchboard.EGONE {
		return h.gone(ctx, id, c, consequence)
	}
	if err != nil {
		return fmt.Errorf("claim session %s: %w", id, err)
	}
	return nil
}

// gone is the EGONE error of an ended session, saying why it ended.
func (h *handler) gone(ctx context.Context, id string, c *Caller, consequence string) error {
	s, err := h.readSession(ctx, id, c)
	if err != nil {
		return engine.ErrSessionOver
	}
	return switchboard.Errorf(switchboard.EGONE, "This conversation has ended. %s %s", endReasonText(s), consequence)
}

// readSession reads one desk session the caller sees.
func (h *handler) readSession(ctx context.Context, id string, c *Caller) (*switchboard.Session, error) {
	var s *switchboard.Session
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = deskSession(ctx, tx, id, c.Agent)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", id, err)
	}
	return s, nil
}

// answerSession answers the session's list entry after an action.
func (h *handler) answerSession(w http.ResponseWriter, r *http.Request, id string, c *Caller) {
	ctx := r.Context()
	var it sessionItem
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := deskSession(ctx, tx, id, c.Agent)
		if err != nil {
			return err
		}
		it, err = h.item(ctx, tx, s, h.clock.Now())
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("read session %s: %w", id, err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"session": it})
}

// replyText checks an agent's text; a sign-off may be empty and then says the
// default words.
func replyText(text string, signOff bool) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "" && signOff:
		return defaultSignOff, nil
	case text == "":
		return "", switchboard.Errorf(switchboard.EINVALID, "the reply is empty: write something to send")
	}
	return text, switchboard.CheckText("the reply", text, maxReplyRunes)
}
