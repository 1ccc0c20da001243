package switchboard

import (
	"context"
	"encoding/json"
	"time"
)

// Store is switchboard's durable state. Every change happens inside Update, so a
// state change and the work it causes (outbox jobs, timers, messages) commit
// together or not at all.
//
// Lookups named after one thing (Session, Agent, ...) return an *Error with code
// ENOTFOUND when it does not exist; lookups named Find... or Live... return nil
// and no error.
type Store interface {
	// Update runs fn in one read-write transaction. If fn returns an error the
	// transaction rolls back and Update returns that error.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction: a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is everything a transaction can read and write.
type Tx interface {
	BotStore
	ChannelStore
	ClientStore
	ConversationStore
	MemoryStore
	MessageStore
	SessionStore
	JobStore
	TimerStore
	AgentStore
	SettingStore
	DedupStore
	CSATStore
	PresenceStore
	AttachmentStore
}

// BotStore keeps every version of every bot.
type BotStore interface {
	// PutBotVersion stores a version; storing the same (bot id, version id) twice
	// keeps one.
	PutBotVersion(ctx context.Context, v *BotVersion) error
	// LatestBot returns the newest version of a bot.
	LatestBot(ctx context.Context, botID string) (*BotVersion, error)
	// ListBots returns the newest version of every bot, by bot id.
	ListBots(ctx context.Context) ([]BotVersion, error)
	// BotVersions returns every version of a bot, newest first (the order
	// of LatestBot); a bot without versions has none.
	BotVersions(ctx context.Context, botID string) ([]BotVersion, error)
	// DeleteBot removes every version of a bot.
	DeleteBot(ctx context.Context, botID string) error
	// DeleteBotVersion removes one version of a bot; a version that does
	// not exist is ENOTFOUND.
	DeleteBotVersion(ctx context.Context, botID, versionID string) error
}

// ChannelStore keeps the channels of bots.
type ChannelStore interface {
	// PutChannel creates or replaces a channel.
	PutChannel(ctx context.Context, c *Channel) error
	Channel(ctx context.Context, id string) (*Channel, error)
	// ChannelsOfBot returns a bot's channels, oldest first.
	ChannelsOfBot(ctx context.Context, botID string) ([]Channel, error)
	// ListChannels returns every channel, oldest first.
	ListChannels(ctx context.Context) ([]Channel, error)
	// FindChannelByAPIKey returns the channel with this API key, or nil. An
	// API key is unique: PutChannel with another channel's key is ECONFLICT.
	FindChannelByAPIKey(ctx context.Context, apiKey string) (*Channel, error)
	// DeleteChannel removes a channel; one that does not exist is
	// ENOTFOUND. Its clients' data stays (DeleteClientData erases it).
	DeleteChannel(ctx context.Context, id string) error
	// PutSent records a native message a messaging channel sent, or its
	// new status: one row per (channel, platform id).
	PutSent(ctx context.Context, s *Sent) error
	// FindSent returns the native message a channel knows by this
	// platform id, or nil.
	FindSent(ctx context.Context, channelID, platformID string) (*Sent, error)
	// SentOf returns the native messages sent for one stored message, by
	// part.
	SentOf(ctx context.Context, messageID int64) ([]Sent, error)
}

// ClientStore keeps end users and serialises the processing of their events.
type ClientStore interface {
	// LockClient makes the rest of the transaction the only one processing this
	// client, also across instances. It is held until the transaction ends.
	LockClient(ctx context.Context, key ClientKey) error
	// FindClient returns a client or nil.
	FindClient(ctx context.Context, key ClientKey) (*Client, error)
	// PutClient creates or replaces a client.
	PutClient(ctx context.Context, c *Client) error
	// ClientState reads what a bot turn reads of a client before it runs,
	// as FindClient, FindLiveSession, FindOpenCSAT, FindOpenConversation
	// and Memories would, in one consistent state. A store may answer it
	// from memory in a View, as long as the state is the client's latest
	// committed one; what it returns is the caller's to change.
	ClientState(ctx context.Context, key ClientKey) (*ClientState, error)
	// DeleteClientData erases a client: the client itself (its metadata),
	// its conversations, memories and messages. Its ended livechat sessions
	// stay without its metadata (the dashboard counts them, and the outbox
	// may still be telling their platform they ended); a live session stays
	// whole: callers refuse the erasure first.
	DeleteClientData(ctx context.Context, key ClientKey) error
	// DeleteBotData erases, as DeleteClientData, every client of a bot. The
	// bot's versions and channels stay (DeleteBot removes the versions).
	DeleteBotData(ctx context.Context, botID string) error
}

// ConversationStore keeps CSML conversations.
type ConversationStore interface {
	// FindOpenConversation returns the client's open conversation or nil.
	FindOpenConversation(ctx context.Context, key ClientKey) (*Conversation, error)
	// PutConversation creates a conversation (Version 0) or updates it (Version
	// as read), then increments c.Version. A version that is not the stored
	// one, an id already used, or a second open conversation for the client is
	// ECONFLICT: someone else moved the conversation since it was read.
	PutConversation(ctx context.Context, c *Conversation) error
	// CloseConversations closes every open conversation of a client.
	CloseConversations(ctx context.Context, key ClientKey, at time.Time) error
	// ClientConversations returns a client's conversations, open or closed,
	// newest first: limit of them after skipping offset.
	ClientConversations(ctx context.Context, key ClientKey, limit, offset int) ([]Conversation, error)
}

// MemoryStore keeps what bots remember about clients; one value per key.
type MemoryStore interface {
	// Memories returns all memories of a client, by key.
	Memories(ctx context.Context, key ClientKey) ([]Memory, error)
	// PutMemory creates or replaces one memory.
	PutMemory(ctx context.Context, key ClientKey, m Memory) error
	// DeleteMemories removes the named memories, or all of them when names is nil.
	DeleteMemories(ctx context.Context, key ClientKey, names []string) error
}

// MessageStore keeps the message history of clients.
type MessageStore interface {
	// AddMessages stores messages in order and sets their IDs, each greater
	// than the ID of every message of the same client stored (committed)
	// before it, also by another process: a reader that saw a client's
	// message N never later finds one below N, so MessagesAfter resumes
	// without a gap. (Across clients, IDs need not follow commit order.)
	AddMessages(ctx context.Context, ms ...*Message) error
	// MessagesAfter returns up to limit messages of a client with ID > afterID,
	// oldest first.
	MessagesAfter(ctx context.Context, key ClientKey, afterID int64, limit int) ([]Message, error)
	// LastMessages returns the client's last limit messages with ID < beforeID
	// (0 = no bound), oldest first.
	LastMessages(ctx context.Context, key ClientKey, beforeID int64, limit int) ([]Message, error)
	// LatestMessages returns the last message of each of these clients
	// written by from (any sender when empty), by client, in as few queries
	// as the store can (a list reads them all at once); a client without
	// such messages is not in the map, and a key given twice counts once.
	LatestMessages(ctx context.Context, keys []ClientKey, from SenderKind) (map[ClientKey]Message, error)
	// SessionMessages returns the last limit messages of a client stored
	// with this session id, oldest first: what was said during the session.
	SessionMessages(ctx context.Context, key ClientKey, sessionID string, limit int) ([]Message, error)
	// MessagesOfRequest returns the messages stored for one incoming request,
	// oldest first.
	MessagesOfRequest(ctx context.Context, key ClientKey, requestID string) ([]Message, error)
	// Message returns one message by id.
	Message(ctx context.Context, id int64) (*Message, error)
	// BotUsage counts a bot's messages created in [since, until), either
	// way, and the clients (channel and user) that exchanged them.
	BotUsage(ctx context.Context, botID string, since, until time.Time) (Usage, error)
}

// Usage is what a bot exchanged in a period (CSML Studio's bot usage).
type Usage struct {
	Messages int `json:"messages"`
	Clients  int `json:"clients"`
}

// SessionFilter selects livechat sessions; zero fields match everything.
type SessionFilter struct {
	BotID string
	// BotIDs, when not nil, keeps the sessions of these bots: none when it
	// is empty (an agent who answers no bot).
	BotIDs []string
	States []SessionState
	// EndedAfter keeps ended sessions that ended after this time (and every live one).
	EndedAfter time.Time
	// Platform keeps the sessions of one livechat platform ("desk", ...).
	Platform string
	// Client, when set, keeps the sessions of this client: a customer's
	// earlier sessions.
	Client *ClientKey
	// Claimed, when set, keeps the sessions an agent has claimed (true: with
	// an agent) or those nobody has (false: without one).
	Claimed *bool
	// Team, when set, keeps the sessions routed to this team ("" = the
	// general queue, sessions without a team).
	Team *string
	// Unclaimed keeps the sessions no agent has taken yet (ClaimedAt nil):
	// a queue. ClaimedAfter keeps those taken after this time.
	Unclaimed    bool
	ClaimedAfter time.Time
	// CreatedFrom and CreatedUntil keep the sessions created in
	// [CreatedFrom, CreatedUntil) (zero = no bound): an export's period.
	CreatedFrom, CreatedUntil time.Time
	// OldestFirst lists the oldest sessions first (the longest waiting)
	// instead of the newest, so Limit keeps the oldest.
	OldestFirst bool
	// After, a session's id, keeps the sessions that come after it in the
	// order asked for: the next page of a list whose last entry it was. A
	// session that does not exist keeps none.
	After string
	// Text, when not empty, keeps the sessions where it appears, ignoring
	// case (ASCII letters on SQLite): in a string value of the session's
	// metadata (the customer's name, e-mail, ...) or in the text (or
	// title) of any of the session's messages. It is a literal: % and _
	// match themselves.
	Text  string
	Limit int
}

// SessionStore keeps livechat sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	UpdateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	// Sessions returns the sessions of these ids, by id, in as few
	// statements as the store can (a desk page reads up to a hundred of its
	// list at once); an id without a session is not in the map.
	Sessions(ctx context.Context, ids []string) (map[string]Session, error)
	// FindLiveSession returns the client's pending or active session, or nil.
	FindLiveSession(ctx context.Context, key ClientKey) (*Session, error)
	// FindSessionByExternalID returns the session a platform knows by this id, or nil.
	FindSessionByExternalID(ctx context.Context, platform, externalID string) (*Session, error)
	// ListSessions returns matching sessions, newest first (oldest first
	// with OldestFirst).
	ListSessions(ctx context.Context, f SessionFilter) ([]Session, error)
	// SessionStats summarises the sessions created in a period, per UTC day.
	SessionStats(ctx context.Context, f StatsFilter) (SessionStats, error)
	// CountLiveSessions counts the pending and the active sessions, for
	// monitoring; both states are in the map, zero or not.
	CountLiveSessions(ctx context.Context) (map[SessionState]int, error)
}

// JobStats summarises the outbox for monitoring.
type JobStats struct {
	Pending int
	Dead    int
	// Oldest is the creation time of the oldest pending job (zero when none).
	Oldest time.Time
}

// JobStore is the outbox.
type JobStore interface {
	// EnqueueJob stores a job and sets its ID, greater than the ID of every
	// job of the same key stored (committed) before it. A zero RunAt means now.
	EnqueueJob(ctx context.Context, j *Job) error
	// ClaimJobs leases up to limit jobs that are due at now and not leased, taking
	// only the oldest pending job of each key, so jobs of one key run in order.
	// Claiming a job whose lease ran out counts an attempt: the worker that
	// held it stopped before recording an outcome, and may have done the work.
	ClaimJobs(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Job, error)
	// CompleteJob removes a finished job.
	CompleteJob(ctx context.Context, id int64) error
	// RetryJob releases a job to run again at runAt, counting the attempt.
	RetryJob(ctx context.Context, id int64, runAt time.Time, lastError string) error
	// BuryJob moves a job that will never succeed to the dead letters, which
	// unblocks the jobs after it on the same key.
	BuryJob(ctx context.Context, id int64, lastError string) error
	// NextJobAt returns when the next pending job is due, or nil when none is.
	NextJobAt(ctx context.Context) (*time.Time, error)
	JobStats(ctx context.Context) (JobStats, error)
	// DeadJobs returns the newest dead letters.
	DeadJobs(ctx context.Context, limit int) ([]Job, error)
}

// TimerStore keeps durable timers.
type TimerStore interface {
	// SetTimer creates the timer or moves it (and releases its lease).
	SetTimer(ctx context.Context, t *Timer) error
	// DeleteTimer removes a timer; removing a missing timer is not an error.
	DeleteTimer(ctx context.Context, key string) error
	// ClaimTimers leases up to limit timers due at now and not leased.
	ClaimTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Timer, error)
	// NextTimerAt returns when the next timer is due, or nil when none is.
	NextTimerAt(ctx context.Context) (*time.Time, error)
	// TimerStats summarises the timers at now, for monitoring.
	TimerStats(ctx context.Context, now time.Time) (TimerStats, error)
}

// TimerStats summarises the timers for monitoring.
type TimerStats struct {
	// Total counts every timer; Due those whose time has come at now, being
	// fired or waiting for a worker (a healthy server keeps it near zero).
	Total int
	Due   int
	// OldestDue is the due time of the most overdue timer (zero when none is).
	OldestDue time.Time
}

// AgentStore keeps desk agents, their sign-ins and their saved replies.
type AgentStore interface {
	// CreateAgent stores a new agent; an email already in use is ECONFLICT.
	CreateAgent(ctx context.Context, a *Agent) error
	UpdateAgent(ctx context.Context, a *Agent) error
	Agent(ctx context.Context, id string) (*Agent, error)
	// FindAgentByEmail matches the email case-insensitively, or returns nil.
	FindAgentByEmail(ctx context.Context, email string) (*Agent, error)
	ListAgents(ctx context.Context) ([]Agent, error)

	CreateLogin(ctx context.Context, l *AgentLogin) error
	// FindLogin returns a sign-in unexpired at now and made under its
	// agent's current SignInGeneration, or nil.
	FindLogin(ctx context.Context, tokenHash string, now time.Time) (*AgentLogin, error)
	DeleteLogin(ctx context.Context, tokenHash string) error

	ListSavedReplies(ctx context.Context) ([]SavedReply, error)
	PutSavedReply(ctx context.Context, r *SavedReply) error
	DeleteSavedReply(ctx context.Context, id string) error
}

// SettingStore keeps small named JSON documents (per-bot livechat settings, ...).
type SettingStore interface {
	// Setting returns a document, or nil when it was never set.
	Setting(ctx context.Context, name string) (json.RawMessage, error)
	PutSetting(ctx context.Context, name string, value json.RawMessage) error
	// SettingNames returns the names of the documents that start with
	// prefix, in order.
	SettingNames(ctx context.Context, prefix string) ([]string, error)
}

// LivechatSettingName is the SettingStore document that holds a bot's
// livechat settings (package livechat reads and writes it). It is named here
// because a turn reads it with the client's state: a store may read it ahead
// with the client's rows, knowing only the client key.
func LivechatSettingName(botID string) string { return "livechat:" + botID }

// DedupStore remembers ids already handled, to drop duplicate deliveries.
type DedupStore interface {
	// MarkSeen records (scope, id) and reports whether it was new.
	MarkSeen(ctx context.Context, scope, id string, at time.Time) (bool, error)
	// Seen reports whether (scope, id) is recorded, without recording it:
	// for a look that must not claim the id (a poll checking what a
	// delivery's job already relayed).
	Seen(ctx context.Context, scope, id string) (bool, error)
	// PruneSeen forgets ids recorded before the given time.
	PruneSeen(ctx context.Context, before time.Time) error
	// ForgetSeen forgets the ids of one scope recorded before the given
	// time, for scopes whose ids only matter for a while (signatures inside
	// their validity window).
	ForgetSeen(ctx context.Context, scope string, before time.Time) error
}
