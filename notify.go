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
}

// Topics of notifications.
const (
	TopicDesk   = "desk"   // the list of sessions or a session's messages changed
	TopicJobs   = "jobs"   // new outbox work
	TopicTimers = "timers" // a timer was set earlier than before
	// TopicBots: a bot was imported, activated or deleted; every instance
	// loads the bots' latest versions from the store again.
	TopicBots = "bots"
	// TopicChannels: a channel's credentials changed; every instance forgets
	// the API keys it remembers.
	TopicChannels = "channels"
)

// TopicClient is the topic of new messages for one client.
func TopicClient(k ClientKey) string { return "client:" + k.String() }
