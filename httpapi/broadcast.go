package httpapi

import (
	"encoding/json"
	"net/http"

	"switchboard"
	"switchboard/httpx"
)

// broadcastResponse echoes a broadcast, as CSML Studio does.
type broadcastResponse struct {
	RequestID string              `json:"request_id"`
	Client    clientOut           `json:"client"`
	Payload   switchboard.Payload `json:"payload"`
	Metadata  json.RawMessage     `json:"metadata,omitempty"`
}

// broadcast starts a flow for a user who did not write: the bot's messages
// go to the user's callback URL (and the history), not in the answer. A user
// in a livechat session is not interrupted: 409.
func (a *API) broadcast(w http.ResponseWriter, r *http.Request, c *caller) {
	req, err := a.decodeEvent(w, r, c)
	if err == nil && req.Payload.ContentType != "flow_trigger" {
		err = switchboard.Errorf(switchboard.EINVALID, "a broadcast's payload.content_type must be flow_trigger, not %q: send {\"content_type\": \"flow_trigger\", \"content\": {\"flow_id\": \"...\"}}", req.Payload.ContentType)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	req.Async = true
	reply, err := a.engine.HandleEvent(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, broadcastResponse{
		RequestID: reply.RequestID, Client: clientOf(req.Client), Payload: req.Payload, Metadata: req.Metadata,
	})
}
