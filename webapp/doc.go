// Package webapp is switchboard's webapp channel: a chat page served by
// switchboard itself (plain HTML, CSS and JavaScript modules embedded in the
// binary, no build step), an embeddable widget that opens the page in an
// iframe, and the WebSocket the page talks over.
//
// A visitor is a random user id and an HMAC of it, issued by the server and
// kept by the page in localStorage, so a reload is the same client. The
// WebSocket never trusts a hint: it reads the client's history from the store
// by message id and sends every message after the last one it sent, so nothing
// is lost or repeated, also across reconnects (the page resumes with
// ?after=<last id>). Events carry a client-chosen id that the engine
// deduplicates, so the page re-sends unacknowledged events after a reconnect
// and each runs exactly once.
//
// The protocol, as JSON text frames:
//
//	client → server
//	  {"type":"event","id":"<uuid>","payload":{"content_type":"text","content":{"text":"hi"}}}
//	  {"type":"metadata","id":"<uuid>","metadata":{"firstname":"Ada"}}
//	  {"type":"typing","typing":true|false}  while the customer writes (at most every few seconds), false when they stop
//	  {"type":"ping"}
//	server → client
//	  {"type":"message","message":{...switchboard.Message...}}  every message after ?after, in id order
//	  {"type":"state","livechat":null|{"state":"pending|active","claimed":true?,"agent_name":"...","agent_typing":true?}}  at connect and on change
//	  {"type":"ready"}                       once the history and state at connect were sent
//	  {"type":"ack","id":"...","duplicate":true?}  after the messages the event produced
//	  {"type":"error","id":"...","code":"invalid","message":"..."}  the connection stays open
//	  {"type":"pong"}
package webapp
