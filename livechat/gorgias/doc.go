// Package gorgias connects switchboard's livechat to Gorgias, the e-commerce
// helpdesk, the way CSML Studio did: a shop pastes its REST API credentials
// (domain, username, API key) and pastes one URL into a Gorgias HTTP
// integration triggered on ticket-message-created.
//
// Client is the driver (livechat.Provider and livechat.Checker): one attempt
// per call, errors classified for the outbox (429 with its Retry-After, 5xx and
// timeouts transient, other refusals permanent), and look-ups by our ids on a
// retry so that nothing is created twice: the ticket's external_id is the
// session id, a user message's external_id is its message id.
//
// Receiver is the webhook endpoint and its outbox job. A delivery is checked
// (token, session, ticket), deduplicated on event_id and message_id, and
// recorded as a job in one transaction; the job reads the ticket back from the
// API and hands every public human-agent reply to engine.Reply with the
// Gorgias message id as dedup id. See docs/livechat/gorgias.md.
package gorgias
