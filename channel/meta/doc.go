// Package meta holds what the channels on Meta's platform (WhatsApp,
// Messenger, Instagram) share on the receiving side: the GET verification
// handshake of a webhook and the X-Hub-Signature-256 check of a delivery's
// raw body (shared/spec/channels.md §0.1, §1.2, §2.2). metasim holds the
// simulators' side of the same.
package meta
