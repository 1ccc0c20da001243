// Package timers fires durable timers: deadlines stored with the state they
// belong to (a livechat session's expiry), so they survive restarts and fire
// once even when several instances run.
//
// Guarantees:
//   - A due timer is leased by one worker and handed to its handler. The
//     handler must delete or move the timer in the same transaction as the
//     state change it makes, so firing and its effect commit together.
//   - A handler that fails (or a worker that dies) leaves the timer to be
//     taken again after a backoff or when the lease runs out.
//   - Timers fire at or after their due time, never before; a wake-up hint
//     makes a newly set, earlier timer fire without waiting for the poll.
package timers
