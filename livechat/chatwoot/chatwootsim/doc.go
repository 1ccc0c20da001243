// Package chatwootsim is a simulated Chatwoot instance served over real
// HTTP, faithful to what switchboard depends on (docs/livechat/chatwoot.md
// and ../shared/spec/platforms.md §3), so that the Chatwoot integration is
// tested end to end, and tried by hand, with no Chatwoot account.
//
// It serves:
//   - the application API under /api/v1: the api_access_token header
//     (users, administrators or agents, and agent bots with their
//     restricted endpoints), the profile, inboxes (administrators only,
//     with their webhook secret), contacts with Chatwoot's uniqueness rules
//     (email case-insensitive, identifier, phone in E.164) and 422 bodies,
//     search and filter, contact inboxes, conversations with per-account
//     display ids, status and typing, messages (JSON or multipart files;
//     incoming only on API inboxes; the newest 20, before or after an id),
//     delivery statuses, canned responses, and an optional per-IP rate
//     limit;
//   - the API inboxes' webhooks: every conversation, message and typing
//     event is posted to the inbox's webhook_url as Chatwoot's
//     webhook_data, signed (X-Chatwoot-Signature, X-Chatwoot-Timestamp)
//     with an X-Chatwoot-Delivery id, once: a call that fails is not made
//     again (unless Config.DeliveryRetries) and its message is marked
//     failed, as Chatwoot does;
//   - agent bots (docs/chatwoot-agent-bot.md): ConnectBot sets a bot's
//     outgoing URL and inboxes; their conversations start pending, and
//     Chatwoot's AgentBotListener events (message_created,
//     message_updated, conversation_opened, conversation_resolved,
//     conversation_status_changed) are posted to the URL, unsigned as
//     most versions post them; input_select messages are validated and a
//     contact's choice sets submitted_values (Submit). Inboxes of any
//     channel type (AddInbox) take a contact's messages (ContactWrites);
//   - an agent's console at / (conversations, replies, the sign-off canned
//     response, private notes, files, typing, resolving, an agent bot's
//     reply, a CSAT survey; giving a conversation to the bot, writing as
//     the contact, choosing an input_select option) and test controls under /_sim (see
//     serveControl);
//   - chaos switches: duplicated, reordered, delayed, held or badly signed
//     deliveries; forced 429s, injected statuses, writes applied then
//     failed, latency, and a 503 outage.
//
// Tests start one with Start("", Config{}) and act as an agent with Act;
// people start one with `switchboard dev chatwoot-sim`.
package chatwootsim
