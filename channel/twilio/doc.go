// Package twilio is the SMS channel through Twilio Programmable Messaging
// (type "twilio"), a driver of package channel.
//
// Twilio posts each incoming text, and each status of a message sent, as a
// form to the channel's webhook, signed with X-Twilio-Signature: base64 of
// HMAC-SHA1, keyed by the account's Auth Token, over the URL Twilio called
// followed by every form field's name and value sorted by name. The
// webhook is answered with an empty TwiML <Response/>: replies go through
// the REST API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json),
// one job at a time per conversation, so that the outbox keeps their
// order. SMS has no buttons: the layer numbers them and a reply of the
// number selects one. Twilio handles STOP and START itself (the carrier
// rules) and still posts them: the driver marks them (Item.Consent) so
// that the layer sends nothing to an unsubscribed customer until START;
// a send Twilio refuses with error 21610 is permanent, and the agents are
// told either way.
package twilio
