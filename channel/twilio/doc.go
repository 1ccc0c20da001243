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
// rules): after STOP, a send to that number is refused with error 21610,
// which the driver reports as permanent so that the agents are told.
package twilio
