// Package switchboard holds the domain of switchboard: the plain types that every
// other package shares (bots, channels, clients, conversations, messages, livechat
// sessions, outbox jobs, timers, agents) and the small interfaces the rest of the
// code implements. It imports only the standard library, so that every other package
// can depend on it without pulling in storage, HTTP or the CSML interpreter.
package switchboard
