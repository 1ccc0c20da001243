// Package driverkit holds what the drivers of livechat platforms (Gorgias,
// Chatwoot) and of messaging channels share, so that a driver is only its
// platform's own words and shapes:
//
//   - Calling: API is a platform's JSON REST API (Options for its users,
//     NewAPI following no redirect, Call for one request): one attempt per
//     call, every failure an *APIError classified for the outbox by
//     Classify (permanent, retryable, or rate limited with its
//     Retry-After), with the status's hint and what the platform said.
//     JSONCall is the single call underneath. ExplainCheck turns a failed
//     settings check into words an operator can act on.
//   - Sending: a Thread (a ticket, a conversation) and its Opener give a
//     driver Provider.End and Note through Threads: the end note and the
//     notes posted once under their references (RefEnd, NoteRef), the
//     close when asked; OrphanNote tells an agent a conversation was given
//     up.
//   - Receiving: Receiver is the pattern of every webhook: the driver
//     verifies a delivery, Record marks its ids seen and enqueues its job
//     in one transaction (a repeat is a Duplicate) and the driver answers
//     at once; the job Loads its payload and session, and Relays what
//     agents wrote to the engine. ReadBody bounds a delivery's body; Arm
//     keeps a poll's durable timer.
//   - Helpers: a bounded Cache of look-ups, RetryAfter, HTML to text,
//     short error texts and network causes.
package driverkit
