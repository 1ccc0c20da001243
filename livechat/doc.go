// Package livechat holds what livechat means independently of any platform: the
// per-bot settings, the sign-off transform of an agent's message, and the
// Provider contract that each platform driver (desk, Gorgias, Chatwoot)
// implements with one attempt per call and a classified error. Retrying,
// ordering and state changes belong to the engine and the outbox, so drivers
// stay thin.
package livechat
