package engine

import (
	"context"
	"fmt"

	"switchboard"
	"switchboard/livechat"
)

// loadAttachment fills a user's file with its bytes, name and sniffed type
// when it is one switchboard keeps for this client (an upload), so a
// driver can send it as a real file. A file elsewhere, or another
// client's, stays a link.
func (e *Engine) loadAttachment(ctx context.Context, client switchboard.ClientKey, att *livechat.Attachment) error {
	if att == nil {
		return nil
	}
	id := switchboard.AttachmentIDOf(att.URL)
	if id == "" {
		return nil
	}
	var a *switchboard.Attachment
	var data []byte
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		a, data, err = tx.Attachment(ctx, id)
		return err
	})
	switch {
	case switchboard.ErrorCode(err) == switchboard.ENOTFOUND:
		return nil
	case err != nil:
		return fmt.Errorf("read attachment %s: %w", id, err)
	case a.Client != client:
		return nil
	}
	att.Name, att.ContentType, att.Size, att.Data = a.Name, a.ContentType, a.Size, data
	return nil
}
