// Package simkit holds what the platform simulators (gorgiassim,
// chatwootsim) share: the webhook dispatcher with its chaos switches
// (duplicated, reordered, delayed, held deliveries), the faults injected
// into their REST APIs (outage, latency, forced 429s and statuses, writes
// applied then failed), the switches as their consoles show them, and
// serving over HTTP.
package simkit
