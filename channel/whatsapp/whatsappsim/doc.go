// Package whatsappsim is a simulated WhatsApp Cloud API (Meta's Graph API
// for one business phone number) served over real HTTP, faithful to Meta's
// documented behaviour (../shared/spec/channels.md §1), so that the
// WhatsApp channel is tested end to end, and tried by hand, with no Meta
// account.
//
// It serves:
//   - the send API, POST /{phone-number-id}/messages (with or without a
//     /v{N}.0 prefix): the Bearer token (401, code 190), the phone number
//     id (400, code 100), Meta's validation of text, reply buttons, lists,
//     call-to-action URLs, media, locations, reactions and templates (Graph
//     error envelope, codes 100, 131008, 131009, 132000, 132001), mark read
//     with a typing indicator, the 24-hour customer service window (a
//     free-form message outside it is accepted, then fails with a `failed`
//     status, error 131047; templates pass), the throughput limit (130429)
//     and the pair rate limit (131056);
//   - media: upload (POST /{phone-number-id}/media, multipart, Meta's types
//     and sizes), GET and DELETE /{media-id}, and a download URL that needs
//     the Bearer token and expires after 5 minutes;
//   - webhooks: Meta's GET verification handshake, then every customer
//     message and every status of a sent message POSTed as Meta's
//     whatsapp_business_account envelope, signed with X-Hub-Signature-256
//     over the exact bytes sent (non-ASCII escaped as \uXXXX, as Meta
//     does), retried with backoff while the receiver fails (a compressed
//     form of Meta's 7 days);
//   - chaos switches: batched, duplicated, reordered, held or badly signed
//     deliveries, statuses out of order and late, a Graph API outage;
//   - a phone-like console at / (customers, the conversation as bubbles
//     with status ticks, writing as the customer, tapping reply buttons
//     and list rows) and its control API under /_sim.
//
// Tests start one with New(Config{…}).Start() and act as customers with
// CustomerText, CustomerPress (reply buttons, list rows, a template's
// quick replies), CustomerMedia, CustomerLocation, CustomerReaction and
// CustomerUnsupported, and read what the business sent with Outbound,
// WaitOutbound and WaitStatus; people
// start one with `switchboard dev whatsapp-sim`.
package whatsappsim
