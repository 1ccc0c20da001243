package sqlite

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"switchboard"
)

const messageColumns = `id, bot_id, channel_id, user_id, conversation_id, session_id, direction,
	sender_kind, sender_name, content_type, content, interaction_order, request_id, created_at`

// insertMessageRow is the placeholders of one row of insertMessages.
const insertMessageRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertMessages is the INSERT of n messages (with n = 1..maxMessageRows),
// prepared once per n like every statement.
var insertMessages [maxMessageRows + 1]string

// maxMessageRows bounds the rows of one INSERT; more are inserted in chunks.
const maxMessageRows = 16

func init() {
	for n := 1; n <= maxMessageRows; n++ {
		insertMessages[n] = `INSERT INTO messages (bot_id, channel_id, user_id, conversation_id, session_id,
		direction, sender_kind, sender_name, content_type, content, interaction_order, request_id, created_at)
		VALUES ` + strings.Repeat(insertMessageRow+", ", n-1) + insertMessageRow
	}
}

// AddMessages stores messages and sets their IDs, in one statement for the
// messages of a turn. Ids are rowids: a new row gets one more than the largest
// id (a trigger keeps the newest row from being deleted, so an id is never
// given twice), and the rows of one statement get consecutive ids.
func (t *tx) AddMessages(ctx context.Context, ms ...*switchboard.Message) error {
	for len(ms) > 0 {
		chunk := ms[:min(len(ms), maxMessageRows)]
		ms = ms[len(chunk):]
		args := make([]any, 0, 13*len(chunk))
		for _, m := range chunk {
			args = append(args, m.Client.BotID, m.Client.ChannelID, m.Client.UserID, m.ConversationID, m.SessionID,
				string(m.Direction), string(m.Sender.Kind), m.Sender.Name, m.Payload.ContentType,
				jsonArg(m.Payload.Content), int64(m.InteractionOrder), m.RequestID, timeArg(m.CreatedAt))
		}
		res, err := t.exec(ctx, insertMessages[len(chunk)], args...)
		if err != nil {
			return fmt.Errorf("add messages: %w", err)
		}
		for i, m := range chunk {
			m.ID = res.lastID - int64(len(chunk)-1-i)
		}
	}
	return nil
}

// MessagesAfter returns up to limit messages of a client with ID > afterID,
// oldest first; a limit of zero or less is no limit.
func (t *tx) MessagesAfter(ctx context.Context, key switchboard.ClientKey, afterID int64, limit int) ([]switchboard.Message, error) {
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND id > ? ORDER BY id`+limitSQL(limit),
		key.BotID, key.ChannelID, key.UserID, afterID)
	if err != nil {
		return nil, fmt.Errorf("messages after: %w", err)
	}
	return firstRows(ms, limit), nil
}

// LastMessages returns the client's last limit messages with ID < beforeID
// (0 = no bound), oldest first; a limit of zero or less is no limit.
func (t *tx) LastMessages(ctx context.Context, key switchboard.ClientKey, beforeID int64, limit int) ([]switchboard.Message, error) {
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE bot_id = ? AND channel_id = ? AND user_id = ? AND id < ? ORDER BY id DESC`+limitSQL(limit),
		key.BotID, key.ChannelID, key.UserID, beforeID)
	if err != nil {
		return nil, fmt.Errorf("last messages: %w", err)
	}
	ms = firstRows(ms, limit)
	slices.Reverse(ms)
	return ms, nil
}

// SessionMessages returns the last limit messages of the client stored with
// this session id, oldest first.
func (t *tx) SessionMessages(ctx context.Context, key switchboard.ClientKey, sessionID string, limit int) ([]switchboard.Message, error) {
	if sessionID == "" {
		return nil, t.ready(ctx)
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages INDEXED BY messages_session
		WHERE session_id = ? AND session_id <> '' AND bot_id = ? AND channel_id = ? AND user_id = ?
		ORDER BY id DESC`+limitSQL(limit),
		sessionID, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("session messages: %w", err)
	}
	ms = firstRows(ms, limit)
	slices.Reverse(ms)
	return ms, nil
}

// MessagesOfRequest returns the messages stored for one incoming request,
// oldest first; an empty request id has none.
func (t *tx) MessagesOfRequest(ctx context.Context, key switchboard.ClientKey, requestID string) ([]switchboard.Message, error) {
	if requestID == "" {
		return nil, t.ready(ctx)
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages INDEXED BY messages_request
		WHERE request_id = ? AND request_id <> '' AND bot_id = ? AND channel_id = ? AND user_id = ? ORDER BY id`,
		requestID, key.BotID, key.ChannelID, key.UserID)
	if err != nil {
		return nil, fmt.Errorf("messages of request: %w", err)
	}
	return ms, nil
}

// Message returns one message by id, or ENOTFOUND.
func (t *tx) Message(ctx context.Context, id int64) (*switchboard.Message, error) {
	m, err := queryOne(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("message: %w", err)
	}
	if m == nil {
		return nil, notFound("message", id)
	}
	return m, nil
}

func scanMessage(r scanner) (switchboard.Message, error) {
	var (
		m                 switchboard.Message
		direction, sender string
	)
	err := r.Scan(&m.ID, &m.Client.BotID, &m.Client.ChannelID, &m.Client.UserID, &m.ConversationID,
		&m.SessionID, &direction, &sender, &m.Sender.Name, &m.Payload.ContentType,
		jsonCol{&m.Payload.Content}, intCol{&m.InteractionOrder}, &m.RequestID, timeCol{&m.CreatedAt})
	m.Direction = switchboard.Direction(direction)
	m.Sender.Kind = switchboard.SenderKind(sender)
	return m, err
}
