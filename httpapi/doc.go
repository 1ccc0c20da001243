// Package httpapi is the Chat API of API channels, compatible with CSML
// Studio's: apps send their users' events to a bot and get the bot's replies
// back (POST /v1/api/chat), start flows proactively (broadcasts), look at and
// close conversations, and read the message history. Messages that answer no
// request (agent replies, expiry turns, broadcasts) are POSTed to the
// client's latest callback_url, signed, in order, and retried by the outbox;
// Deliver is that job's handler.
//
// Two ways to authenticate, as in CSML Studio: public mode sends the
// channel's API key alone (X-Api-Key: KEY), for code that runs in a browser;
// private mode signs it (X-Api-Key: KEY|TIMESTAMP and X-Api-Signature:
// sha256=hex(HMAC-SHA256(secret, "KEY|TIMESTAMP"))), valid for 5 minutes; an
// identical event under the same signature is answered with the first one's
// reply. Reading conversations and history, getting a stored reply again,
// changing an existing user's metadata and choosing where messages are
// delivered (callback_url) need private mode.
package httpapi
