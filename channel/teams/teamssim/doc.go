// Package teamssim is a simulated Microsoft Teams for one bot: the Bot
// Framework's token issuer, Entra's token endpoint and the Bot
// Connector, served over real HTTP and faithful to their documented
// behaviour (shared/spec/channels.md §6), so that the Teams channel is
// tested end to end, and tried by hand, with no Azure account.
//
// It serves:
//   - the OpenID metadata at /v1/.well-known/openidconfiguration and its
//     JWKS at /v1/.well-known/keys: RSA keys of its own, each with its
//     endorsements (["msteams"]), one more that is endorsed for another
//     channel only (to forge with);
//   - the client-credentials token endpoint at
//     /{tenant}/oauth2/v2.0/token ("botframework.com" for multi-tenant
//     bots): grant_type, client_id, client_secret and scope checked as
//     Entra does (401 invalid_client AADSTS7000215 for a wrong secret,
//     400 unauthorized_client AADSTS700016 for an unknown app, 400
//     invalid_scope AADSTS70011), tokens of Config.TokenTTL (1 hour);
//   - the Bot Connector under the serviceUrl {URL}/amer/:
//     POST /v3/conversations/{id}/activities with the bot's token (401
//     without a valid, unexpired one), a message (text, hero cards whose
//     buttons are imBack, messageBack, openUrl, invoke or signin only,
//     attachments, 400 BadArgument otherwise, 413 MessageSizeTooBig above
//     100 KB of UTF-16 text) or a typing activity, answering 201 {"id"};
//     404 ConversationNotFound, 403 BotNotInConversationRoster after the
//     user removed the bot; 7 operations a second per conversation, then
//     429 with Retry-After; the inline images users sent at
//     /v3/attachments/{id}/views/original, with the bot's token;
//   - activities POSTed to the bot's messaging endpoint, each with a JWT
//     signed RS256 by its key (iss https://api.botframework.com, aud the
//     App ID, exp an hour on, nbf, serviceurl the activity's serviceUrl),
//     once (the Bot Connector does not redeliver); forgeries on demand
//     (Forge: another key, an unknown key, a key not endorsed for
//     msteams, another audience or issuer, an expired token, a serviceUrl
//     that is not the token's) and Replay of an activity with a fresh
//     token;
//   - chaos switches (simkit's): duplicated, reordered, delayed or held
//     deliveries, a Bot Connector outage, throttling;
//   - a Teams-like console at / (conversations as bubbles, hero cards with
//     buttons to press, writing as a user) and its control API under /_sim.
//
// Tests start one with New(Config{…}).Start() and act as users with
// AddUser, UserText, UserPress, UserImage and RemoveBot; people start one
// with `switchboard dev teams-sim`.
package teamssim
