// Package chatwoot is the driver of the messaging channel "chatwoot":
// switchboard as a Chatwoot agent bot (docs/chatwoot-agent-bot.md).
// Chatwoot owns the contact's channel (its web widget, WhatsApp, e-mail,
// ...) and its agents; switchboard runs the CSML bot.
//
// The operator gives the instance's URL, the account, the agent bot's
// access token (sealed) and optionally the one inbox to serve; the token
// is checked against the API when the channel is saved. Chatwoot's agent
// bot webhooks are not signed in the versions most instances run, so the
// webhook URL switchboard shows carries a secret token of its own
// (?token=, channel.URLTokener), made when the channel is saved.
//
// A client is one Chatwoot conversation (its display id). Only the
// contact's messages (message_type incoming) of a conversation in status
// pending, Chatwoot's bot state, get bot turns: in any other status an
// agent has it and the bot stays silent. Messages are deduplicated on
// Chatwoot's message id. The bot's messages are posted as the agent bot,
// buttons as input_select, whose option chosen in the widget comes back
// as message_updated with content_attributes.submitted_values: a payload.
//
// The livechat handoff happens inside Chatwoot (channel.Handover, platform
// chatwoot-inbox): LIVECHAT_SESSION_START sets the bot's routing (labels,
// priority, team id) and toggles the conversation open; the agents'
// messages are read for their sign-off only, which the agent bot answers
// with the end button; the contact's click, the agent resolving or the
// idle timeout toggle it back to pending, where the bot resumes. With
// handoff_on_end, the end of the bot's CSML conversation hands over too,
// as Chatwoot's removed CSML bot type did.
package chatwoot
