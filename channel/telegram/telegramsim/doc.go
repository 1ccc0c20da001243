// Package telegramsim is a simulated Telegram Bot API server for one bot,
// served over real HTTP and faithful to Telegram's documented behaviour
// (shared/spec/channels.md §4), so that the Telegram channel is tested end
// to end, and tried by hand, with no Telegram account.
//
// It serves:
//   - the Bot API at /bot<token>/<method> (GET or POST; parameters as a
//     query, a form, multipart or JSON), answering {"ok":true,"result"} or
//     {"ok":false,"error_code","description","parameters"}: 401
//     Unauthorized for another token, 404 for an unknown method;
//   - setWebhook (HTTPS on ports 443, 80, 88 or 8443 unless
//     Config.InsecureWebhooks, secret_token of 1 to 256 of A-Z a-z 0-9 _ -,
//     allowed_updates), deleteWebhook, getWebhookInfo (pending updates, the
//     last delivery error), getUpdates (409 Conflict while a webhook is set);
//   - sendMessage with an inline keyboard (text 1 to 4096 characters,
//     callback_data 1 to 64 bytes or 400 BUTTON_DATA_INVALID, parse_mode
//     checked, 400 chat not found, 403 for a user who blocked the bot),
//     sendPhoto, sendVideo, sendAudio and sendDocument by URL or file_id
//     (caption up to 1024), sendChatAction, answerCallbackQuery (a press
//     never answered stays flagged, as a spinner on the console), getFile
//     and the download at /file/bot<token>/<file_path> (20 MB at most);
//   - flood control: more than a burst then one message a second to a chat,
//     or thirty a second in all, is 429 with parameters.retry_after;
//   - webhooks: each Update POSTed with X-Telegram-Bot-Api-Secret-Token,
//     retried while the receiver fails (a compressed form of Telegram's
//     attempts), one at a time in order at max_connections 1 and in
//     parallel above, the method a webhook answers with run without a
//     result, Replay for a delivery repeated;
//   - chaos switches: duplicated, reordered, delayed or held deliveries, a
//     wrong secret, an API outage, throttling;
//   - a phone-like console at / (chats as bubbles, writing as a user,
//     pressing inline buttons, which spin until answered) and its control
//     API under /_sim;
//   - users' updates: text, photos (several sizes), documents, voice,
//     audio, video, locations, edits (edited_message), button presses
//     (callback_query with the message), blocking and unblocking the bot
//     (my_chat_member); an update not delivered is kept 24 hours.
//
// Tests start one with New(Config{…}).Start() and act as users with
// UserStart, UserText, UserFile, UserLocation, UserEdit, UserPress and
// Block; people start one with `switchboard dev telegram-sim`.
package telegramsim
