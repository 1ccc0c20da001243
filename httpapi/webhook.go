package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"switchboard"
	"switchboard/httpx"
)

// webhook is where an API channel's asynchronous messages go when their
// user gave no callback_url (CSML Studio sets it on the channel): agent
// replies, broadcasts, expiry turns. SyncReplies also posts the replies a
// chat request already answered.
type webhook struct {
	URL         string `json:"url"`
	SyncReplies bool   `json:"sync_replies"`
}

// webhookPrefix names the setting that holds a channel's webhook.
const webhookPrefix = "api.webhook:"

// webhookOf reads a channel's webhook; the zero value when none is set.
func webhookOf(ctx context.Context, tx switchboard.Tx, channelID string) (webhook, error) {
	var h webhook
	raw, err := tx.Setting(ctx, webhookPrefix+channelID)
	if err != nil || raw == nil {
		return h, err
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return h, fmt.Errorf("read the webhook of channel %s: %w", channelID, err)
	}
	return h, nil
}

// getWebhook answers the channel's webhook.
func (a *API) getWebhook(w http.ResponseWriter, r *http.Request, c *caller) {
	h, err := read(r.Context(), a.store, func(tx switchboard.Tx) (webhook, error) { return webhookOf(r.Context(), tx, c.channel.ID) })
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h)
}

// putWebhook sets the channel's webhook; an empty url removes it.
func (a *API) putWebhook(w http.ResponseWriter, r *http.Request, c *caller) {
	var h webhook
	if err := httpx.DecodeJSON(w, r, maxBody, true, &h); err != nil {
		a.fail(w, r, err)
		return
	}
	if h.URL != "" {
		if err := a.checkCallbackURL(h.URL); err != nil {
			a.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "url: %s", switchboard.ErrorMessage(err)))
			return
		}
	}
	raw, _ := json.Marshal(h) // plain fields
	if err := a.store.Update(r.Context(), func(tx switchboard.Tx) error {
		return tx.PutSetting(r.Context(), webhookPrefix+c.channel.ID, raw)
	}); err != nil {
		a.fail(w, r, err)
		return
	}
	a.ForgetKey(c.channel.APIKey)
	a.log.InfoContext(r.Context(), "chat api: webhook set", "channel", c.channel.ID, "set", h.URL != "", "sync_replies", h.SyncReplies)
	httpx.WriteJSON(w, http.StatusOK, h)
}

// deliveryTarget is where a client's asynchronous messages go: its latest
// callback_url, else its channel's webhook, else nowhere ("").
func deliveryTarget(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey) (string, error) {
	client, err := tx.FindClient(ctx, key)
	switch {
	case err != nil:
		return "", fmt.Errorf("load client: %w", err)
	case client != nil && client.CallbackURL != "":
		return client.CallbackURL, nil
	}
	h, err := webhookOf(ctx, tx, key.ChannelID)
	return h.URL, err
}

// callbackOf is the body that delivers a message: a chat answer with this
// one message, numbered as in the answer of its request (interaction_order
// from 0). A message that answers a request (a broadcast's) carries the
// request's interaction_id and received_at; any other (an agent's) its own,
// and number 0.
func callbackOf(ctx context.Context, tx switchboard.Tx, m *switchboard.Message) (callbackBody, error) {
	id := strconv.FormatInt(m.ID, 10)
	msg := messageOf(*m)
	msg.InteractionOrder = 0
	out := callbackBody{
		DeliveryID: id, RequestID: m.RequestID, InteractionID: id, ReceivedAt: m.CreatedAt, IsAuthorized: true,
		Client: clientOf(m.Client), Messages: []message{msg},
	}
	if m.RequestID == "" {
		return out, nil
	}
	ms, err := tx.MessagesOfRequest(ctx, m.Client, m.RequestID)
	if err != nil {
		return out, fmt.Errorf("read the request of message %d: %w", m.ID, err)
	}
	sent := 0
	for _, r := range ms {
		switch {
		case r.Direction == switchboard.DirectionReceive && out.InteractionID == id:
			out.InteractionID, out.ReceivedAt = strconv.FormatInt(r.ID, 10), r.CreatedAt
		case r.ID == m.ID:
			out.Messages[0].InteractionOrder = sent
		case r.Direction == switchboard.DirectionSend:
			sent++
		}
	}
	return out, nil
}
