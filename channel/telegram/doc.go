// Package telegram is the Telegram channel's driver (type "telegram"):
// a bot of Telegram's Bot API (shared/spec/channels.md §4) on the layer of
// package channel.
//
// The operator gives only the bot's token from @BotFather. When the channel
// is created, switchboard calls setWebhook itself with the channel's
// webhook URL and a secret_token it generates and keeps sealed; Telegram
// then sends that secret in X-Telegram-Bot-Api-Secret-Token with every
// update, which is how a delivery is known to be Telegram's (nothing is
// signed). Deleting the channel calls deleteWebhook.
//
// Updates are deduplicated on update_id. Buttons are an inline keyboard
// whose callback_data is the button's payload when it fits Telegram's 64
// bytes, else a short reference the layer reads back from the history;
// a press is answered (answerCallbackQuery) in the webhook's own answer,
// which stops the button's spinner with no call of its own. Typing is a
// chat action, media go by URL (sendPhoto, sendVideo, sendAudio,
// sendDocument) and come through getFile. A 429's parameters.retry_after
// is the delay before the send is tried again.
package telegram
