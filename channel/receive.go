package channel

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard"
	"switchboard/engine"
)

// receivePayload is a recorded webhook item.
type receivePayload struct {
	ChannelID string `json:"channel_id"`
	Item      Item   `json:"item"`
}

// runReceive handles one recorded item: a user's event runs through the
// engine (the bot, or the agent during a livechat session); a failure
// receipt is told to the agents.
func (l *Layer) runReceive(ctx context.Context, j switchboard.Job) error {
	var p receivePayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("decode channel item: %w", err))
	}
	// One snapshot opens the channel and reads the choice a number or a
	// button refers to.
	var key switchboard.ClientKey
	var conn Conn
	payload := p.Item.Payload
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		ch, c, err := l.open(ctx, tx, p.ChannelID)
		if err != nil {
			return err
		}
		key, conn = switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: p.Item.UserID}, c
		if k := p.Item.Kind; k == ItemStatus || k == ItemAgent || k == ItemClosed {
			return nil
		}
		payload, err = resolveChoice(ctx, tx, key, p.Item.Payload, conn.Limits())
		return err
	})
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		l.cfg.Log.WarnContext(ctx, "channel: item of a channel that is gone; dropped", "channel", p.ChannelID, "id", p.Item.ID)
		return nil
	}
	if err != nil {
		return err
	}
	switch p.Item.Kind {
	case ItemStatus:
		return l.receiptFailed(ctx, conn, key, p.Item)
	case ItemAgent, ItemClosed:
		return l.agentItem(ctx, key, p.Item)
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

// recordReceipt records, in the webhook's transaction, what the platform
// says became of a message it sent, and reports whether it did and whether
// work follows (a failure, told to the agents by a job). A receipt for a message the
// channel never sent to this user, or not newer than what is known (they
// come out of order, and again), changes nothing: that is their
// deduplication.
func (l *Layer) recordReceipt(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey, it Item, now time.Time) (recorded, work bool, err error) {
	s, err := tx.FindSent(ctx, key.ChannelID, it.ID)
	if err != nil {
		return false, false, fmt.Errorf("find sent message: %w", err)
	}
	if s == nil || s.Client != key || switchboard.SentStatusRank(it.Status) <= switchboard.SentStatusRank(s.Status) {
		l.cfg.Log.DebugContext(ctx, "channel: receipt ignored (unknown message, or not newer)", "channel", key.ChannelID, "id", it.ID, "status", it.Status)
		return false, false, nil
	}
	// When it happened, as the platform says (delivered at, read at).
	s.Status, s.Error, s.UpdatedAt = it.Status, it.Error, it.At
	if it.At.IsZero() {
		s.UpdatedAt = now
	}
	if err := tx.PutSent(ctx, s); err != nil {
		return false, false, fmt.Errorf("record receipt: %w", err)
	}
	return true, s.Status == switchboard.SentFailed, nil
}

// receiptFailed tells the agents that a message the platform accepted did not
// reach the user (the receipt is recorded already): the window closed, or
// another reason.
func (l *Layer) receiptFailed(ctx context.Context, conn Conn, key switchboard.ClientKey, it Item) error {
	var sent *switchboard.Sent
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		sent, err = tx.FindSent(ctx, key.ChannelID, it.ID)
		return err
	})
	if err != nil || sent == nil {
		return err
	}
	if it.WindowClosed {
		return l.windowClosed(ctx, conn, key, sent.MessageID)
	}
	return l.undelivered(ctx, sent.MessageID, "the platform reported it failed: "+it.Error)
}
