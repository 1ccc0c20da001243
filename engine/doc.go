// Package engine is switchboard's application layer. HandleEvent takes one event
// of one client, decides whether it goes to the bot or to a livechat session,
// runs the CSML interpreter when it goes to the bot, and saves the conversation,
// the memories, the messages, the outbox jobs and the timers that follow in ONE
// transaction. It never calls a platform or a socket itself: the outbox and
// timer workers run the handlers this package provides, and live connections
// learn about new messages from notifications sent after the commit.
//
// Events of one client are processed one at a time: an in-process lock avoids
// contention, and the store's LockClient makes it hold across instances.
package engine
