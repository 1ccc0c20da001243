package engine

import (
	"context"
	"fmt"

	"switchboard"
	"switchboard/livechat"
)

// loadAttachment fills a user's file with its name, sniffed type and size,
// and returns its bytes, when it is one switchboard keeps for this client
// (an upload), so a driver can send it as a real file. A file elsewhere,
// or another client's, stays a link (no bytes).
func (e *Engine) loadAttachment(ctx context.Context, client switchboard.ClientKey, att *livechat.Attachment) ([]byte, error) {
	if att == nil {
		return nil, nil
	}
	id := switchboard.AttachmentIDOf(att.URL)
	if id == "" {
		return nil, nil
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
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read attachment %s: %w", id, err)
	case a.Client != client:
		return nil, nil
	}
	att.Name, att.ContentType, att.Size = a.Name, a.ContentType, a.Size
	return data, nil
}
