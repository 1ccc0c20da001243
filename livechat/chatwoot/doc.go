// Package chatwoot connects switchboard's livechat to Chatwoot, the
// open-source customer support platform, the way CSML Studio did: a team
// gives its instance URL and an access token, and switchboard does the rest.
//
// Client is the driver (livechat.Provider and livechat.Checker). Check finds
// the account in the token's profile and finds or creates the bot's
// dedicated API inbox, whose webhook calls switchboard's receive URL; it
// keeps the inbox's id and webhook secret. Open finds or creates the user's
// contact (identifier: switchboard's user key), opens a conversation whose
// contact inbox source_id is the session id, and posts the bot transcript as
// a private note; user messages go in as incoming messages. Every message
// switchboard posts carries a source_id of its own (the message id, or a
// reference for notes), so a retry finds what an earlier attempt made
// instead of making it twice. Errors are classified for the outbox: 429 with
// its delay, 5xx and timeouts transient, other refusals permanent.
//
// Receiver is the webhook endpoint, its outbox job and its poll. A delivery
// is checked (token, signature, session), deduplicated on
// X-Chatwoot-Delivery and on the message id, and recorded as a job in one
// transaction before the 2xx. The job reads the conversation's messages back
// from the API and relays, oldest first, every public message of a human
// agent not relayed yet, with the Chatwoot message id as the engine's dedup
// id; a resolved conversation then ends the session. Chatwoot never retries
// a webhook, so a durable timer also has every live session's conversation
// read every PollEvery: a message whose delivery failed, or never came, is
// delivered anyway, once. See docs/livechat/chatwoot.md.
package chatwoot
