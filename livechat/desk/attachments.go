package desk

import (
	"fmt"
	"net/http"

	"switchboard"
	"switchboard/engine"
	"switchboard/livechat"
)

// attach sends the caller's file (multipart/form-data, part "file") to the
// user: it is checked and stored for the session's client, then delivered
// like a reply, as an image or a file message. Attaching to a waiting
// session claims it first.
func (h *handler) attach(w http.ResponseWriter, r *http.Request, c *Caller) {
	ctx, id := r.Context(), r.PathValue("id")
	if h.files == nil {
		h.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "this server takes no files"))
		return
	}
	if err := h.take(ctx, id, c, "Your file was not sent."); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.readSession(ctx, id, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.files.Upload(w, r, s.Client, switchboard.SenderAgent)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	err = h.engine.Reply(ctx, engine.AgentReply{SessionID: id, AgentID: c.Agent.ID, AgentName: c.Agent.Name,
		Attachments: []livechat.Attachment{{URL: u.URL, Name: u.Name, ContentType: u.ContentType}}})
	if switchboard.ErrorCode(err) == switchboard.EGONE {
		err = h.gone(ctx, id, c, "Your file was not sent.")
	}
	if err != nil {
		h.fail(w, r, fmt.Errorf("send a file to session %s: %w", id, err))
		return
	}
	h.answerSession(w, r, id, c)
}
