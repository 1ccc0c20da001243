package channel

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard"
)

// consent is what a user last said of the channel's messages: ConsentStop
// (unsubscribed: nothing is sent to them) or ConsentStart, with the
// message that said it.
type consent struct {
	Consent   string    `json:"consent"`
	MessageID string    `json:"message_id"`
	At        time.Time `json:"at"`
}

// consentSetting is where a client's consent is kept.
func consentSetting(key switchboard.ClientKey) string { return "channel.consent:" + key.String() }

// putConsent records a user's STOP or START, in the transaction that
// records their message.
func putConsent(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey, it Item, now time.Time) error {
	raw, _ := json.Marshal(consent{Consent: it.Consent, MessageID: it.ID, At: now})
	if err := tx.PutSetting(ctx, consentSetting(key), raw); err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}

// unsubscribed reads whether a user texted STOP and not START since.
func unsubscribed(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey) (*consent, error) {
	raw, err := tx.Setting(ctx, consentSetting(key))
	if err != nil {
		return nil, fmt.Errorf("read consent: %w", err)
	}
	var c consent
	if raw == nil || json.Unmarshal(raw, &c) != nil || c.Consent != ConsentStop {
		return nil, nil
	}
	return &c, nil
}

// optedOut records a message that is not sent because the user
// unsubscribed, and tells the agents.
func (l *Layer) optedOut(ctx context.Context, key switchboard.ClientKey, messageID int64, c *consent) error {
	reason := fmt.Sprintf("the customer unsubscribed at %s (they texted STOP), so the carriers' rules forbid texting them until they text START", c.At.UTC().Format("2006-01-02 15:04 UTC"))
	err := l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutSent(ctx, &switchboard.Sent{ChannelID: key.ChannelID, PlatformID: fmt.Sprintf("unsubscribed:%d", messageID), MessageID: messageID, Client: key, Part: -1, Status: switchboard.SentFailed, Error: reason, UpdatedAt: l.cfg.Clock.Now()})
	})
	if err != nil {
		return fmt.Errorf("record unsent message: %w", err)
	}
	return l.undelivered(ctx, messageID, reason)
}
