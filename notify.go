package switchboard

// Notifier wakes whoever waits on a topic after a transaction commits. A
// notification is only a hint: receivers read the store to learn what changed,
// so a lost or repeated hint never loses or repeats a message.
type Notifier interface {
	Notify(topics ...string)
}

// Subscriber lets a connection wait for hints on a topic. The channel holds at
// most one pending hint; cancel releases it.
type Subscriber interface {
	Subscribe(topic string) (hints <-chan struct{}, cancel func())
	// SubscribeFunc calls wake after each notification of topic, for a
	// subscriber idle most of the time that should cost no goroutine
	// waiting on a channel. wake runs on the notifier's goroutine with the
	// subscriptions locked: it must return at once and not subscribe or
	// cancel.
	SubscribeFunc(topic string, wake func()) (cancel func())
	// SubscribePrefix waits for hints on every topic that begins with
	// prefix; names returns the rest of the names of the topics notified
	// since its last call, or all when it cannot tell (too many, or hints
	// that may have been missed): then the receiver re-reads everything.
	// After a hint it may return nothing new: a read that came after the
	// notification but before the hint was taken got its names already.
	SubscribePrefix(prefix string) (hints <-chan struct{}, names func() (rest []string, all bool), cancel func())
}

// Topics of notifications.
const (
	// TopicDeskPrefix begins the topics of the desk's livechat sessions,
	// one per session (TopicDeskSession): the session or its messages
	// changed; or only its conversation (TopicDeskConversation). The desk's
	// pages listen to them all.
	TopicDeskPrefix = "desk:"
	TopicJobs       = "jobs"   // new outbox work
	TopicTimers     = "timers" // a timer was set earlier than before
	// TopicBots: a bot was imported, activated or deleted; every instance
	// loads the bots' latest versions from the store again.
	TopicBots = "bots"
	// TopicChannels: a channel's credentials changed; every instance forgets
	// the API keys it remembers.
	TopicChannels = "channels"
)

// TopicDeskSession is the topic of one livechat session for the desk: what
// its list entry shows may have changed.
func TopicDeskSession(id string) string { return TopicDeskPrefix + id }

// DeskConversationSuffix ends the topic of a desk session whose conversation
// changed (an agent's message, the customer typing) while its list entry did
// not: the page that has it open reads it again, the list is not read for it.
const DeskConversationSuffix = "/conversation"

// TopicDeskConversation is the topic of one desk session's conversation.
func TopicDeskConversation(id string) string { return TopicDeskPrefix + id + DeskConversationSuffix }

// TopicClient is the topic of new messages for one client.
func TopicClient(k ClientKey) string { return "client:" + k.String() }
