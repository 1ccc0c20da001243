package desk

import (
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
	h.deliver(w, r, c, engine.AgentReply{Attachments: []livechat.Attachment{{URL: u.URL, Name: u.Name, ContentType: u.ContentType, Size: u.Size}}},
		"Your file was not sent.")
}
