package channel

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
)

// Checker is a Conn that can check its credentials against the platform
// without sending anything: the admin page's "test webhook" check.
type Checker interface {
	// Check calls the platform with the channel's credentials and says
	// what it found ("+1 555 0100, Acme"); an error says what is wrong.
	Check(ctx context.Context) (string, error)
}

// Editor is a Driver whose channels' settings can be changed: a secret
// left out (or empty) keeps its stored value.
type Editor interface {
	Edit(stored, raw json.RawMessage, seal Sealer, place string) (json.RawMessage, error)
}

// CheckResult is what a check of a channel's credentials found, in words.
type CheckResult struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// Check checks a messaging channel's credentials against its platform; the
// error is for a channel that is not there, a failed check is a result.
func (l *Layer) Check(ctx context.Context, channelID string) (CheckResult, error) {
	ch, conn, err := l.openView(ctx, channelID)
	if err != nil {
		return CheckResult{}, err
	}
	c, ok := conn.(Checker)
	if !ok {
		return CheckResult{Message: fmt.Sprintf("%s channels have no check yet", ch.Type)}, nil
	}
	msg, err := c.Check(ctx)
	if err != nil {
		msg = err.Error()
		if se, ok := err.(*switchboard.Error); ok {
			msg = se.Message
		}
		l.cfg.Log.InfoContext(ctx, "channel: check failed", "channel", ch.ID, "err", err)
		return CheckResult{Message: msg}, nil
	}
	return CheckResult{OK: true, Message: msg}, nil
}

// Edit changes a messaging channel's settings in tx (raw, the object under
// its type's name); secrets left out keep their stored values. A driver
// that registers its webhook (Registrar) registers it again.
func (l *Layer) Edit(ctx context.Context, tx switchboard.Tx, ch *switchboard.Channel, raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	ed, ok := l.drivers[ch.Type].(Editor)
	if !ok {
		return switchboard.Errorf(switchboard.EINVALID, "%s channels cannot be edited: delete the channel and add it again", ch.Type)
	}
	doc, err := l.read(ctx, tx, ch.ID)
	if err != nil {
		return err
	}
	settings, err := ed.Edit(doc.Settings, raw, l.cfg.Sealer, settingName(ch.ID))
	if err != nil {
		return err
	}
	// A driver that registers its webhook does it again with the new
	// credentials, which the platform may refuse (a wrong token).
	if err := l.register(ctx, l.drivers[ch.Type], ch.ID, settings); err != nil {
		return err
	}
	doc.Settings = settings
	out, _ := json.Marshal(doc)
	if err := tx.PutSetting(ctx, settingName(ch.ID), out); err != nil {
		return fmt.Errorf("store channel settings: %w", err)
	}
	return nil
}
