// Package slack is the Slack channel's driver (type "slack"): a Slack app
// installed in a workspace, speaking the Events API, Block Kit
// interactivity and the Web API's chat.postMessage
// (shared/spec/channels.md §5), on the layer of package channel.
//
// The operator gives the bot token (xoxb-…) and the signing secret, and
// pastes the channel's one webhook URL into the app's Event Subscriptions
// and Interactivity request URLs alike: the driver tells an event (JSON)
// from a button press (a form with payload=) by the body.
//
// Authenticity: every delivery is signed, X-Slack-Signature = v0= and the
// hex HMAC-SHA256 keyed by the signing secret of "v0:<timestamp>:<body>",
// and X-Slack-Request-Timestamp must be within 5 minutes of the
// channel's clock (the server's, injected): an older request is a replay
// and refused. Slack's url_verification, sent when the URL is saved, is
// checked like any other delivery and answered with its challenge (the
// layer's Replier); every other delivery is answered 200 with an empty
// body once the layer recorded it, within Slack's 3 seconds, nothing
// slower coming first.
//
// Deduplication: an event's item id is its event_id, the same on Slack's
// retries (X-Slack-Retry-Num 1 to 3): a retry is a duplicate, never a
// second turn. A button press's id is its channel, action_ts and
// action_id. Only the message events of users become items: a message
// with bot_id, the subtypes other than file_share and thread_broadcast
// (message_changed, message_deleted, bot_message, channel_join…), the
// app's own user's messages and app_mention (the message.* event of the
// same message is the one used) are skipped.
//
// Conversations: a direct message conversation (channel_type im) is the
// client, its user id the DM's channel id (D…), and the bot answers there.
// In a public or private channel each thread is a conversation: a user's
// top-level message starts one whose user id is "<channel>:<ts>", the
// replies in its thread continue it, and the bot answers in that thread,
// so that two people (or two questions) in a channel never share a bot's
// turn. A client's user id is where to send, with no state kept.
//
// Rendering: text in chat.postMessage's text (mrkdwn; &, < and > escaped;
// split beyond 4,000 characters, Slack's advice); buttons as a section
// and an actions block of up to 25 buttons (text up to 75 characters,
// value the payload up to 2,000, else the layer's short reference),
// beyond which the layer's numbered text; images as image blocks; video,
// audio, files and urls as links. Slack bots have no typing indicator in
// the Web API: Typing sends nothing. There is no window.
//
// Errors: chat.postMessage answers HTTP 200 with ok:false; ratelimited
// (HTTP 429 with Retry-After) is retried after the delay, fatal_error,
// internal_error, service_unavailable and request_timeout with backoff,
// every other error (invalid_auth, channel_not_found, not_in_channel,
// invalid_blocks, msg_too_long…) is permanent.
package slack
