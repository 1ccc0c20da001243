package postgres

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const messageColumns = `id, bot_id, channel_id, user_id, conversation_id, session_id, direction,
	sender_kind, sender_name, content_type, content, interaction_order, request_id, created_at`

// insertMessages inserts the rows of parallel arrays in their order, after
// taking the append locks of their clients (see append.go). The ids are
// drawn as the rows are produced, in the ORDER BY's order, so the i-th
// smallest id is the i-th row's.
const insertMessages = `INSERT INTO messages (bot_id, channel_id, user_id, conversation_id, session_id, direction,
		sender_kind, sender_name, content_type, content, interaction_order, request_id, created_at)
	SELECT m.bot_id, m.channel_id, m.user_id, m.conversation_id, m.session_id, m.direction, m.sender_kind,
		m.sender_name, m.content_type, m.content, m.interaction_order, m.request_id, m.created_at
	FROM ` + appendLocks + `, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::text[], $10::text[], $11::json[], $12::bigint[], $13::text[], $14::timestamptz[]) WITH ORDINALITY
		AS m(bot_id, channel_id, user_id, conversation_id, session_id, direction, sender_kind, sender_name,
			content_type, content, interaction_order, request_id, created_at, n)
	ORDER BY m.n
	RETURNING id`

// AddMessages stores messages in one statement and sets their IDs, in order;
// a client's ids are in commit order (see append.go).
func (t *tx) AddMessages(ctx context.Context, ms ...*switchboard.Message) error {
	if len(ms) == 0 {
		return t.ready(ctx)
	}
	n := len(ms)
	clients := make([]string, n)
	var (
		bot, channel, user, conv, sess = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		dir, kind, name, ctype, req    = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		content                        = make([][]byte, n)
		order                          = make([]int64, n)
		created                        = make([]*time.Time, n)
	)
	for i, m := range ms {
		clients[i] = m.Client.String()
		bot[i], channel[i], user[i], conv[i], sess[i] = m.Client.BotID, m.Client.ChannelID, m.Client.UserID, m.ConversationID, m.SessionID
		dir[i], kind[i], name[i], ctype[i], req[i] = string(m.Direction), string(m.Sender.Kind), m.Sender.Name, m.Payload.ContentType, m.RequestID
		if len(m.Payload.Content) > 0 {
			content[i] = m.Payload.Content
		}
		order[i] = int64(m.InteractionOrder)
		if !m.CreatedAt.IsZero() {
			created[i] = &m.CreatedAt
		}
	}
	ids, err := queryAll(ctx, t, scanID, insertMessages, t.lockKeys(nsMessages, clients),
		bot, channel, user, conv, sess, dir, kind, name, ctype, content, order, req, created)
	if err != nil {
		return wrap("add messages", err)
	}
	slices.Sort(ids)
	for i, m := range ms {
		m.ID = ids[i]
	}
	return nil
}

func scanID(r pgx.Row) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}

// MessagesAfter returns up to limit messages of a client with ID > afterID,
// oldest first; a limit of zero or less is no limit.
func (t *tx) MessagesAfter(ctx context.Context, key switchboard.ClientKey, afterID int64, limit int) ([]switchboard.Message, error) {
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 AND id > $4 ORDER BY id LIMIT $5`,
		key.BotID, key.ChannelID, key.UserID, afterID, limitArg(limit))
	return ms, wrap("messages after", err)
}

// LastMessages returns the client's last limit messages with ID < beforeID
// (0 = no bound), oldest first; a limit of zero or less is no limit.
func (t *tx) LastMessages(ctx context.Context, key switchboard.ClientKey, beforeID int64, limit int) ([]switchboard.Message, error) {
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE bot_id = $1 AND channel_id = $2 AND user_id = $3 AND id < $4 ORDER BY id DESC LIMIT $5`,
		key.BotID, key.ChannelID, key.UserID, beforeID, limitArg(limit))
	if err != nil {
		return nil, wrap("last messages", err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// SessionMessages returns the last limit messages of the client stored with
// this session id, oldest first.
func (t *tx) SessionMessages(ctx context.Context, key switchboard.ClientKey, sessionID string, limit int) ([]switchboard.Message, error) {
	if sessionID == "" {
		return nil, t.ready(ctx)
	}
	ms, err := queryAll(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages
		WHERE session_id = $1 AND session_id <> '' AND bot_id = $2 AND channel_id = $3 AND user_id = $4
		ORDER BY id DESC LIMIT $5`,
		sessionID, key.BotID, key.ChannelID, key.UserID, limitArg(limit))
	if err != nil {
		return nil, wrap("session messages", err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// MessagesOfRequest returns the messages stored for one incoming request,
// oldest first; an empty request id has none.
func (t *tx) MessagesOfRequest(ctx context.Context, key switchboard.ClientKey, requestID string) ([]switchboard.Message, error) {
	if requestID == "" {
		return nil, t.ready(ctx)
	}
	ms, err := queryAll(ctx, t, scanMessage, messagesOfRequestSQL, requestID, key.BotID, key.ChannelID, key.UserID)
	return ms, wrap("messages of request", err)
}

const messagesOfRequestSQL = `SELECT ` + messageColumns + ` FROM messages
	WHERE request_id = $1 AND request_id <> '' AND bot_id = $2 AND channel_id = $3 AND user_id = $4 ORDER BY id`

// Message returns one message by id, or ENOTFOUND.
func (t *tx) Message(ctx context.Context, id int64) (*switchboard.Message, error) {
	m, err := queryOne(ctx, t, scanMessage, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id)
	if err != nil {
		return nil, wrap("message", err)
	}
	if m == nil {
		return nil, notFound("message", id)
	}
	return m, nil
}

func scanMessage(r pgx.Row) (switchboard.Message, error) {
	var (
		m                 switchboard.Message
		direction, sender string
		order             int64
	)
	err := r.Scan(&m.ID, &m.Client.BotID, &m.Client.ChannelID, &m.Client.UserID, &m.ConversationID,
		&m.SessionID, &direction, &sender, &m.Sender.Name, &m.Payload.ContentType,
		jsonCol(&m.Payload.Content), &order, &m.RequestID, timeCol{&m.CreatedAt})
	m.Direction = switchboard.Direction(direction)
	m.Sender.Kind = switchboard.SenderKind(sender)
	m.InteractionOrder = int(order)
	return m, err
}
