// Package slacksim is a simulated Slack workspace with one installed app,
// served over real HTTP and faithful to Slack's documented behaviour
// (shared/spec/channels.md §5), so that the Slack channel is tested end to
// end, and tried by hand, with no Slack workspace.
//
// It serves:
//   - the Web API at /api/<method> (POST as JSON or a form, or GET with a
//     query; the token as Authorization: Bearer or a token parameter),
//     answering HTTP 200 with {"ok":true,…} or {"ok":false,"error"}:
//     not_authed without a token, invalid_auth with another one,
//     unknown_method;
//   - chat.postMessage (channel a DM, a channel the bot is in or a user id,
//     else channel_not_found or not_in_channel; no_text; text beyond
//     40,000 characters truncated with the warning message_truncated, or
//     msg_too_long with Config.RefuseLongText; blocks checked as Block Kit
//     does, invalid_blocks with response_metadata.messages pointing at the
//     block for more than 50 blocks, a section's text beyond 3,000, more
//     than 25 elements in an actions block, a button's text beyond 75,
//     value beyond 2,000, action_id beyond 255 or repeated, an image
//     without image_url or alt_text; msg_blocks_too_long beyond 13,000
//     characters of blocks in all, as seen, not documented), chat.update,
//     conversations.open, files.info, users.info and auth.test; a file's
//     url_private downloads only with the bot token (else Slack's sign-in
//     page, as HTML);
//   - rate limits: chat.postMessage past a burst then one message a second
//     per channel is HTTP 429 {"ok":false,"error":"ratelimited"} with
//     Retry-After;
//   - the Events API: each event POSTed to the request URL as an
//     event_callback with a fresh event_id, signed (X-Slack-Signature v0,
//     X-Slack-Request-Timestamp), after a signed url_verification when the
//     URL is set (Subscribe); an event not answered 2xx within 3 seconds is
//     retried three times, after Config.RetryDelays (Slack's: at once, a
//     minute, five minutes), with X-Slack-Retry-Num and
//     X-Slack-Retry-Reason and the same event_id; the app's own posts come
//     back as message events with bot_id, as they do on Slack; edits
//     (message_changed), deletions (message_deleted), files (file_share),
//     thread replies and app_rate_limited;
//   - interactivity: a button press is a block_actions payload, a form
//     with payload=, signed, posted once to the interactivity URL (never
//     retried);
//   - chaos switches: simkit's (duplicated, reordered, delayed, held
//     deliveries, API outage, latency, throttling) and Slack's own: forged
//     signatures, stale timestamps;
//   - a console at / to write as a user in a DM or a channel, and press the
//     bot's buttons, with its control API under /_sim.
//
// Not simulated: X-Slack-No-Retry (a delivery's answer headers are not
// kept), the external file upload (files.getUploadURLExternal), Socket
// Mode, and Slack disabling an app that fails most deliveries.
//
// Tests start one with New(Config{…}).Start() and act as users with
// AddUser, UserText, UserPost, UserFile, UserEdit, UserDelete and
// UserPress; people start one with `switchboard dev slack-sim`.
package slacksim
