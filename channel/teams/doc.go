// Package teams is the Microsoft Teams channel's driver (type "teams"): a
// bot of the Azure Bot Service, spoken to through the Bot Framework's
// Activity protocol (shared/spec/channels.md §6), on the layer of package
// channel.
//
// The operator gives the bot's Microsoft App ID and client secret (and the
// tenant of a single-tenant bot), and sets the channel's webhook URL as
// the bot's messaging endpoint. Every activity the Bot Connector posts
// carries a JWT: Verify checks its RS256 signature with the Bot
// Framework's keys (read from its OpenID metadata, cached, refetched when
// a token names a key not seen, at most once a minute), its issuer, its
// audience (the App ID), its times (5 minutes of clock skew), that the
// key is endorsed for the activity's channelId and that its serviceurl
// claim is the activity's serviceUrl. Activities are deduplicated on
// their conversation and id.
//
// A client is a Teams conversation (its id, the user id): a personal
// chat is one user. Replies go to {serviceUrl}/v3/conversations/{id}/
// activities, the serviceUrl of the conversation's last verified
// activity, kept in the client's metadata (service_url) and given back
// by the layer (Outgoing.Metadata); only an https serviceUrl, or one on
// the simulator's origin (the configured token_url's), is ever called.
// The bot's token comes from the client-credentials grant and is cached
// until shortly before it expires.
//
// Buttons are a hero card of messageBack buttons whose value carries the
// button's payload and title; more than six, or titles too long, become
// the layer's numbered text. Typing is a typing activity, media go as
// attachments by URL, a user's inline image is downloaded with the bot's
// token. A 429's Retry-After is the delay before the send is tried again;
// 412 and 5xx are retried, the rest is permanent (a 401 after a fresh
// token too).
package teams
