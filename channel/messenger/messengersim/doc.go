// Package messengersim is a simulated Messenger Platform, for one Facebook
// Page or, with Config.Instagram, one Instagram professional account,
// served over real HTTP and faithful to Meta's documented behaviour
// (shared/spec/channels.md §2 and §3), so that the messenger channel is
// tested end to end, and tried by hand, with no Meta account.
//
// It serves:
//   - the Send API, POST /me/messages or /{page-id}/messages (with or
//     without a /v{N}.0 prefix; the token as Bearer or access_token):
//     Meta's validation (text ≤ 2000 characters, Instagram ≤ 1000 UTF-8
//     bytes; ≤ 13 quick replies with titles ≤ 20 and payloads ≤ 1000;
//     button templates of 1 to 3 buttons with text ≤ 640; generic
//     templates of ≤ 10 elements; a sender_action alone; Instagram takes
//     no button template and no tag but HUMAN_AGENT), answered with the
//     Graph error envelope {"error":{"message","type","code",
//     "error_subcode","fbtrace_id"}}: 100 for a bad parameter, 100/2018001
//     for an unknown user, 551/1545041 for one who blocked the page, 190
//     for a bad token, 613 beyond the rate limit, and 10/2018278 for a
//     message outside the 24-hour window, or a HUMAN_AGENT one beyond 7
//     days or from an app not approved for it;
//   - the Handover Protocol: take_thread_control, release_thread_control,
//     pass_thread_control and thread_owner; a thread is idle, the app's or
//     Meta's inbox's, and a user's events go to the app in messaging[]
//     unless another app owns the thread (standby[]);
//   - the attachments of a user's message (GET /{mid}?fields=attachments)
//     and their files;
//   - webhooks: the GET verification handshake, then every user message,
//     quick reply, postback, attachment, reaction, edit, unsend, echo of
//     a page's message (the app's and the inbox's), delivery (and
//     Instagram's read) and handover event POSTed as Meta's page or instagram envelope, signed with
//     X-Hub-Signature-256 over the exact bytes sent, retried with backoff
//     while the receiver fails; chaos switches duplicate, reorder or delay
//     deliveries and sign them wrongly;
//   - a console at / (users, the conversation as bubbles, writing and
//     tapping as the user, blocking, the inbox taking and giving back the
//     thread) and its control API under /_sim.
//
// UNCONFIRMED in Meta's docs, and chosen here: release_thread_control or
// a send by an app that does not own the thread is refused with code 10;
// a read receipt of Messenger carries a watermark only.
package messengersim
