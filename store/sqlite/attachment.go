package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"switchboard"
	"switchboard/internal/ownerfile"
)

// PutAttachment writes the bytes to attachments/<id> in the data folder
// (mode 0600), then records the file. The row is what makes the file
// exist: a transaction that rolls back leaves a file no row names, which
// nothing serves.
func (t *tx) PutAttachment(ctx context.Context, a *switchboard.Attachment, data []byte) error {
	if !switchboard.ValidAttachmentID(a.ID) {
		return switchboard.Errorf(switchboard.EINVALID, "attachment id %q is not a lowercase UUID", a.ID)
	}
	if err := t.ready(ctx); err != nil {
		return err
	}
	found, err := queryOne(ctx, t, scanName, `SELECT id FROM attachments WHERE id = ?`, a.ID)
	if err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	if found != nil {
		return switchboard.Errorf(switchboard.ECONFLICT, "attachment %s already exists", a.ID)
	}
	if err := os.MkdirAll(t.c.files, 0o700); err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	if err := ownerfile.Write(filepath.Join(t.c.files, a.ID), data); err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO attachments (id, bot_id, channel_id, user_id, sender, name, content_type, size, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Client.BotID, a.Client.ChannelID, a.Client.UserID, string(a.Sender),
		a.Name, a.ContentType, a.Size, a.SHA256, timeArg(a.CreatedAt))
	if isUnique(err) {
		return switchboard.Errorf(switchboard.ECONFLICT, "attachment %s already exists", a.ID)
	}
	if err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	return nil
}

// Attachment returns a recorded file and reads its bytes.
func (t *tx) Attachment(ctx context.Context, id string) (*switchboard.Attachment, []byte, error) {
	if !switchboard.ValidAttachmentID(id) {
		return nil, nil, notFound("attachment", id)
	}
	a, err := queryOne(ctx, t, scanAttachment, `SELECT id, bot_id, channel_id, user_id, sender, name, content_type, size, sha256, created_at
		FROM attachments WHERE id = ?`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("attachment: %w", err)
	}
	if a == nil {
		return nil, nil, notFound("attachment", id)
	}
	data, err := os.ReadFile(filepath.Join(t.c.files, id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("attachment %s: its file is missing from %s", id, t.c.files)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("attachment: %w", err)
	}
	return a, data, nil
}

func scanAttachment(r scanner) (switchboard.Attachment, error) {
	var a switchboard.Attachment
	var sender string
	err := r.Scan(&a.ID, &a.Client.BotID, &a.Client.ChannelID, &a.Client.UserID, &sender, &a.Name, &a.ContentType,
		&a.Size, &a.SHA256, timeCol{&a.CreatedAt})
	a.Sender = switchboard.SenderKind(sender)
	return a, err
}
