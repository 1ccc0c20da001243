package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"switchboard"
	"switchboard/httpx"
)

// userRequest is the body of the conversations endpoints: {"user_id"}.
type userRequest struct {
	UserID string `json:"user_id"`
}

// conversationOut is an open conversation as CSML Studio shows it.
type conversationOut struct {
	ID                string                         `json:"id"`
	Client            clientOut                      `json:"client"`
	FlowID            string                         `json:"flow_id"`
	StepID            string                         `json:"step_id"`
	Metadata          json.RawMessage                `json:"metadata"`
	Status            switchboard.ConversationStatus `json:"status"`
	LastInteractionAt time.Time                      `json:"last_interaction_at"`
	CreatedAt         time.Time                      `json:"created_at"`
}

// openResponse answers POST /v1/api/conversations/open.
type openResponse struct {
	HasOpen      bool             `json:"has_open"`
	Conversation *conversationOut `json:"conversation"`
	Livechat     *livechatState   `json:"livechat"`
}

// closeResponse answers POST /v1/api/conversations/close.
type closeResponse struct {
	// Closed says whether a conversation was open.
	Closed bool `json:"closed"`
}

// user reads {"user_id"} and returns the client it names on the channel.
func (a *API) user(w http.ResponseWriter, r *http.Request, c *caller) (switchboard.ClientKey, error) {
	var in userRequest
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		return switchboard.ClientKey{}, err
	}
	if in.UserID == "" {
		return switchboard.ClientKey{}, switchboard.Errorf(switchboard.EINVALID, `user_id is missing: send {"user_id": "..."}`)
	}
	if err := switchboard.CheckUserID("user_id", in.UserID); err != nil {
		return switchboard.ClientKey{}, err
	}
	return switchboard.ClientKey{BotID: c.channel.BotID, ChannelID: c.channel.ID, UserID: in.UserID}, nil
}

// openConversation tells whether a user has an open conversation, and which.
func (a *API) openConversation(w http.ResponseWriter, r *http.Request, c *caller) {
	key, err := a.user(w, r, c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var out openResponse
	err = a.store.View(r.Context(), func(tx switchboard.Tx) error {
		conv, err := tx.FindOpenConversation(r.Context(), key)
		if err != nil || conv == nil {
			return err
		}
		client, err := tx.FindClient(r.Context(), key)
		if err != nil {
			return err
		}
		meta := json.RawMessage(`{}`)
		if client != nil && len(client.Metadata) > 0 {
			meta = client.Metadata
		}
		out.HasOpen = true
		out.Conversation = &conversationOut{
			ID: conv.ID, Client: clientOf(key), FlowID: conv.FlowID, StepID: conv.StepID, Metadata: meta,
			Status: conv.Status, LastInteractionAt: conv.LastInteractionAt, CreatedAt: conv.CreatedAt,
		}
		s, err := tx.FindLiveSession(r.Context(), key)
		out.Livechat = livechatOf(s)
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// closeConversation closes a user's open conversation: their next event
// starts over. A livechat session goes on.
func (a *API) closeConversation(w http.ResponseWriter, r *http.Request, c *caller) {
	key, err := a.user(w, r, c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	closed, err := a.engine.CloseConversations(r.Context(), key)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, closeResponse{Closed: closed})
}
