package postgres

import (
	"github.com/jackc/pgx/v5"

	"switchboard"
)

// A View that starts by reading something of a client (its live session, its
// client row, a request's messages...) is most often a turn, which goes on to
// read the rest of that client's state, one statement after the other. The
// View reads that state ahead instead: in the round trip of its first
// statement, the batch that begins the transaction carries the client reads
// below too, and the later calls take their answer from there. A View sees
// one snapshot, so a statement run early answers what it would have answered
// when called. Each answer read ahead is used once; a second call reads
// again. A View that reads only one of them (CustomerTyping reads the live
// session) pays for the others: a few index lookups in the same round trip.
//
// A turn also reads its bot's livechat settings (for the availability it
// gives the bot), a document whose name the domain derives from the bot's id
// (switchboard.LivechatSettingName): it is read ahead with the rest.

// clientRead is a statement reading part of a client's state.
type clientRead struct {
	sql string
	// args are the statement's arguments for a client: by default its key
	// (bot, channel, user).
	args func(switchboard.ClientKey) []string
	// read collects the rows as queryAll does: a []T.
	read func(pgx.Rows) (any, error)
}

// readOf is the clientRead of a statement whose rows scan scans.
func readOf[T any](sql string, scan func(pgx.Row) (T, error)) clientRead {
	return clientRead{sql: sql, args: keyOf, read: func(rows pgx.Rows) (any, error) {
		var out []T
		_, err := readRows(rows, collect(scan, &out))
		return out, err
	}}
}

// keyOf is the arguments of a statement that reads a client by its key.
func keyOf(key switchboard.ClientKey) []string {
	return []string{key.BotID, key.ChannelID, key.UserID}
}

// botLivechat is the clientRead of the client's bot's livechat settings.
func botLivechat() clientRead {
	r := readOf(settingSQL, scanJSON)
	r.args = func(key switchboard.ClientKey) []string {
		return []string{switchboard.LivechatSettingName(key.BotID)}
	}
	return r
}

// clientReads are the reads of a client's state done ahead.
var clientReads = []clientRead{
	readOf(liveSessionSQL, scanSession),
	readOf(newestCSATSQL, scanCSAT),
	readOf(findClientSQL, scanClient),
	readOf(openConversationSQL, scanConversation),
	readOf(memoriesSQL, scanMemory),
	botLivechat(),
}

// aheadAnswer is the answer of a statement read ahead, with its arguments.
type aheadAnswer struct {
	args []string
	v    any
}

// keyArgs tells the statements that start a read ahead when they are the
// first of a View: each with the position of the client key in its
// arguments.
var keyArgs = map[string]int{
	liveSessionSQL:       0,
	newestCSATSQL:        0,
	findClientSQL:        0,
	openConversationSQL:  0,
	memoriesSQL:          0,
	messagesOfRequestSQL: 1,
}

// aheadOf returns the client reads to send with the first statement of the
// transaction, query, and their client key; none outside a View or when
// query reads no client.
func (t *tx) aheadOf(query string, args []any) ([]clientRead, switchboard.ClientKey) {
	i, ok := keyArgs[query]
	if !ok || t.opts.AccessMode != pgx.ReadOnly || len(args) < i+3 {
		return nil, switchboard.ClientKey{}
	}
	bot, ok1 := args[i].(string)
	channel, ok2 := args[i+1].(string)
	user, ok3 := args[i+2].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, switchboard.ClientKey{}
	}
	key := switchboard.ClientKey{BotID: bot, ChannelID: channel, UserID: user}
	reads := make([]clientRead, 0, len(clientReads))
	for _, r := range clientReads {
		if r.sql != query {
			reads = append(reads, r)
		}
	}
	return reads, key
}

// takeAhead returns the answer read ahead for query with args, once.
func (t *tx) takeAhead(query string, args []any) (any, bool) {
	a, ok := t.ahead[query]
	if !ok || len(args) != len(a.args) {
		return nil, false
	}
	for i, arg := range args {
		if s, ok := arg.(string); !ok || s != a.args[i] {
			return nil, false
		}
	}
	delete(t.ahead, query)
	return a.v, true
}
