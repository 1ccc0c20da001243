// Package whatsapp is the WhatsApp Cloud API channel (type "whatsapp"): the
// driver package channel runs. It checks and seals a channel's settings,
// answers Meta's GET verification handshake, verifies X-Hub-Signature-256
// on the raw body, reads Meta's batched envelopes (messages, statuses,
// errors), renders components into WhatsApp messages (reply buttons, lists,
// media by link, typing with read receipt, the configured template to
// reopen a closed 24-hour window) and sends them through the Graph API with
// Meta's error codes classified. The facts it follows are in
// shared/spec/channels.md §1; whatsappsim is its simulator.
package whatsapp
