package channel

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
	"switchboard/engine"
)

// receivePayload is a recorded webhook item.
type receivePayload struct {
	ChannelID string `json:"channel_id"`
	Item      Item   `json:"item"`
}

// runReceive handles one recorded item: a user's event runs through the
// engine (the bot, or the agent during a livechat session), a receipt
// updates what was sent.
func (l *Layer) runReceive(ctx context.Context, j switchboard.Job) error {
	var p receivePayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("decode channel item: %w", err))
	}
	ch, conn, err := l.openView(ctx, p.ChannelID)
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		l.cfg.Log.WarnContext(ctx, "channel: item of a channel that is gone; dropped", "channel", p.ChannelID, "id", p.Item.ID)
		return nil
	}
	if err != nil {
		return err
	}
	key := switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: p.Item.UserID}
	switch p.Item.Kind {
	case ItemStatus:
		return l.receipt(ctx, conn, key, p.Item)
	case ItemAgent, ItemClosed:
		return l.agentItem(ctx, key, p.Item)
	}
	payload := p.Item.Payload
	err = l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		payload, err = resolveChoice(ctx, tx, key, payload, conn.Limits())
		return err
	})
	if err != nil {
		return err
	}
	reply, err := l.cfg.Engine.HandleEvent(ctx, engine.Request{
		Client: key, RequestID: p.Item.ID, Payload: payload, Metadata: p.Item.Metadata, DeliverReplies: true,
		SessionOnly: p.Item.SessionOnly,
	})
	switch switchboard.ErrorCode(err) {
	case "":
		l.syncThread(ctx, conn, key)
		return l.handOverAtEnd(ctx, conn, key, p.Item.ID, reply)
	case switchboard.EINVALID, switchboard.ETOOLARGE, switchboard.ECONFLICT:
		// The engine refuses the event itself (a payload only switchboard
		// sends, a flow trigger during a session): told in the log, not
		// retried forever. Anything else (a bot not loaded on this instance
		// yet, the store) is retried.
		l.cfg.Log.WarnContext(ctx, "channel: user event refused; dropped", "client", key.String(), "id", p.Item.ID, "err", err)
		return nil
	}
	return err
}

// receipt records what the platform says became of a message it sent. A
// receipt for a message the channel does not know, or older than what is
// known (they come out of order), changes nothing; a failure is told to
// the agents.
func (l *Layer) receipt(ctx context.Context, conn Conn, key switchboard.ClientKey, it Item) error {
	var sent *switchboard.Sent
	err := l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		s, err := tx.FindSent(ctx, key.ChannelID, it.ID)
		if err != nil || s == nil || s.Client != key || switchboard.SentStatusRank(it.Status) <= switchboard.SentStatusRank(s.Status) {
			sent = nil
			return err
		}
		// When it happened, as the platform says (delivered at, read at).
		s.Status, s.Error, s.UpdatedAt = it.Status, it.Error, it.At
		if it.At.IsZero() {
			s.UpdatedAt = l.cfg.Clock.Now()
		}
		sent = s
		return tx.PutSent(ctx, s)
	})
	if err != nil || sent == nil {
		if err == nil {
			l.cfg.Log.DebugContext(ctx, "channel: receipt ignored (unknown message, or not newer)", "channel", key.ChannelID, "id", it.ID, "status", it.Status)
		}
		return err
	}
	if sent.Status != switchboard.SentFailed {
		return nil
	}
	if it.WindowClosed {
		return l.windowClosed(ctx, conn, key, sent.MessageID)
	}
	return l.undelivered(ctx, sent.MessageID, "the platform reported it failed: "+it.Error)
}
