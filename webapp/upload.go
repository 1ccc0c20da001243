package webapp

import (
	"net/http"

	"switchboard"
	"switchboard/httpx"
)

// serveUpload answers POST /v1/webapp/{channel}/attachments: the visitor's
// file (multipart/form-data, part "file") is checked and stored, and the
// answer carries the payload the page then sends as an event, like any
// other message, so a file during a livechat session reaches the agent by
// the same road as text.
func (h *Handler) serveUpload(w http.ResponseWriter, r *http.Request) {
	key, err := h.visitorOf(r)
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	if h.files == nil {
		httpx.WriteError(w, r, h.log, switchboard.Errorf(switchboard.ENOTFOUND, "this server takes no files"))
		return
	}
	if err := h.files.Admit("addr:" + httpx.PeerOf(r)); err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	u, err := h.files.Upload(w, r, key, switchboard.SenderUser)
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
}
