// Package twiliosim is a simulated Twilio Programmable Messaging account
// with one SMS number, over real HTTP, for tests and for trying a bot by
// SMS without a Twilio account (`switchboard dev twilio-sim`).
//
// It does what switchboard relies on, as Twilio documents it: the
// customer's texts (and MMS, and STOP, START and HELP) are posted to the
// number's messaging webhook as forms signed with X-Twilio-Signature
// (HMAC-SHA1 with the Auth Token over the URL and the fields sorted by
// name; the default port in or out of the signed URL at random, as Twilio
// is inconsistent about it), with one retry on a connection failure; the
// answer is expected to be TwiML (a <Message> in it is sent as Twilio
// would). The REST API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json)
// takes Basic auth, checks To, From and Body as Twilio does and answers
// Twilio's error JSON (20003, 21211, 21602, 21606, 21610, 21617, 20429),
// counts segments (GSM-7 or UCS-2), and posts the status callbacks
// (sent, delivered; undelivered with an ErrorCode for an unreachable
// number). The opt-out is Twilio's default: after STOP a send to the
// customer is refused with 21610 until START. Its console page shows the
// conversations and writes as customers.
package twiliosim
