// Package channel is the layer every messaging channel (WhatsApp first;
// Messenger, Telegram, ... later) plugs into, as livechat platforms plug into
// package livechat.
//
// A channel's driver does only what is particular to its platform: it
// checks the settings of a new channel and seals their secrets (Driver),
// and for one channel (Conn) it answers the verification handshake,
// verifies a webhook's authenticity on the raw body, parses the body into
// items (user messages as CSML events, receipts of what was sent), renders
// a message's component into native messages, and sends one native message
// per call, with its errors classified (Permanent, RetryAfter,
// WindowClosed).
//
// The layer does the rest, the same for every channel:
//
//   - the webhook route /v1/channels/{channel_id}/webhook (GET for the
//     handshake, POST for deliveries): the raw body is read with a size
//     limit, verified, parsed, and each new item recorded durably as an
//     outbox job keyed by the client, deduplicated on the platform's id,
//     all in one transaction; then the webhook is answered at once. A body
//     that is authentic but does not parse is logged and answered 200, so
//     that the platform does not retry it for days.
//   - a channel is opened once and its Conn kept while its stored
//     settings are unchanged, checked by every transaction that uses it
//     (conns): an edit or a deletion takes effect at once, on every
//     instance.
//   - the receive job runs the user's event through engine.HandleEvent
//     with the platform's message id as the request id (a second delivery
//     is a replay), so livechat sessions work unchanged: during one the bot
//     is muted and the agent gets the messages.
//   - the send job (engine.JobChannelSend, which the engine enqueues in the
//     transaction that stores every message for such a client) renders and
//     sends the message, part by part; a part that was sent is recorded
//     (store: Sent) and never sent again by a retry.
//   - buttons beyond what the platform shows become a list, then numbered
//     text; a later reply of the number selects the button. The choices are
//     read back from the client's history (the message that showed them),
//     so they are kept server-side per client without a table of their own.
//   - receipts (delivered, read, failed) update the Sent record, never
//     downgrading it; a failure is told to the agents (engine.Undelivered).
//   - a conversation window (WhatsApp's 24 hours): a message after the
//     user's window closed is not sent; the channel's template, when one is
//     configured, invites the user back, and the agents are told. A
//     channel whose platform lets a person answer for longer (Messenger's
//     HUMAN_AGENT tag: AgentWindow) sends an agent's message within that
//     longer window, marked as a person's (Outgoing.Late).
//   - a thread shared with other apps (Meta's Handover Protocol:
//     ThreadControl) is taken when the user's livechat session starts and
//     released when it ends.
//     configured, invites the user back, and the agents are told.
//   - a platform with agents of its own on the user's conversation
//     (Chatwoot's inboxes: Handover) holds the user's livechat sessions
//     itself: the layer's HandoverProvider hands the conversation over and
//     back through the driver, its jobs in order with the messages sent to
//     the user; the agents' messages (ItemAgent) are not sent again, only
//     their sign-off becomes the end button; their closing (ItemClosed)
//     ends the session; a user's message the agents have (SessionOnly)
//     goes to the session or nowhere, never to the bot.
//   - consent (SMS's STOP and START, which carriers enforce): a user's
//     message the driver marks as STOP is recorded with the message; until
//     a START, nothing is sent to them, and the agents are told why.
//   - inbound media are served from the signed route
//     /v1/channels/{channel_id}/media/{media_id}, which fetches them from
//     the platform with the channel's credentials when opened.
package channel
