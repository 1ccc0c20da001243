package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// blob is binary data: the stores' text check (CheckStored) does not apply
// to it.
type blob []byte

// PutAttachment stores a file with its bytes (bytea): every instance of the
// database serves it, and it commits with the transaction it is part of.
func (t *tx) PutAttachment(ctx context.Context, a *switchboard.Attachment, data []byte) error {
	if !switchboard.ValidAttachmentID(a.ID) {
		return switchboard.Errorf(switchboard.EINVALID, "attachment id %q is not a lowercase UUID", a.ID)
	}
	if data == nil {
		data = []byte{}
	}
	n, err := t.exec(ctx, `INSERT INTO attachments (id, bot_id, channel_id, user_id, sender, name, content_type, size, sha256, created_at, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.Client.BotID, a.Client.ChannelID, a.Client.UserID, string(a.Sender), a.Name, a.ContentType, a.Size, a.SHA256,
		timeArg(a.CreatedAt), blob(data))
	if err != nil {
		return wrap("put attachment", err)
	}
	if n == 0 {
		return switchboard.Errorf(switchboard.ECONFLICT, "attachment %s already exists", a.ID)
	}
	return nil
}

// Attachment returns a stored file and its bytes.
func (t *tx) Attachment(ctx context.Context, id string) (*switchboard.Attachment, []byte, error) {
	if !switchboard.ValidAttachmentID(id) {
		return nil, nil, notFound("attachment", id)
	}
	type row struct {
		a    switchboard.Attachment
		data []byte
	}
	r, err := queryOne(ctx, t, func(r pgx.Row) (row, error) {
		var x row
		var sender string
		err := r.Scan(&x.a.ID, &x.a.Client.BotID, &x.a.Client.ChannelID, &x.a.Client.UserID, &sender, &x.a.Name,
			&x.a.ContentType, &x.a.Size, &x.a.SHA256, timeCol{&x.a.CreatedAt}, &x.data)
		x.a.Sender = switchboard.SenderKind(sender)
		return x, err
	}, `SELECT id, bot_id, channel_id, user_id, sender, name, content_type, size, sha256, created_at, data
		FROM attachments WHERE id = $1`, id)
	if err != nil {
		return nil, nil, wrap("attachment", err)
	}
	if r == nil {
		return nil, nil, notFound("attachment", id)
	}
	return &r.a, r.data, nil
}
