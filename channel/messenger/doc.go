// Package messenger is the channel of Meta's Messenger Platform: Facebook
// Page conversations (type "messenger") and, as a variant, Instagram
// professional accounts' direct messages (type "instagram"), which take
// the same webhook, the same Send API and the same Handover Protocol with
// a shorter text and quick replies for buttons.
//
// It checks and seals a channel's settings, answers Meta's handshake and
// checks X-Hub-Signature-256 (package meta), reads the messaging events of
// a delivery (texts, quick replies and postbacks as payloads, attachments,
// delivery and Instagram read receipts; echoes of what the page sent and
// events of threads another app owns are skipped), renders components
// (button and generic templates, quick replies, attachments by URL,
// typing_on) and sends them through the Send API with Meta's error codes
// classified. An agent's reply after the 24-hour window goes with the
// HUMAN_AGENT tag, within 7 days, when the page is approved for it (the
// human_agent_tag setting); with the handover setting a livechat session
// takes the thread from Meta's inbox and releases it at its end. The facts
// it follows are in shared/spec/channels.md §2 and §3; messengersim is its
// simulator.
package messenger
