// Package outbox runs the work that state changes cause: opening a ticket,
// relaying a message to a platform, telling it a session ended. Jobs are written
// by the engine in the same transaction as the state they follow from, so no
// work is lost when switchboard stops between the two.
//
// Guarantees:
//   - At least once: a job is removed only after its handler succeeded; a job
//     whose worker died is taken again when its lease runs out. Handlers make
//     repeats harmless (platform look-ups by our ids, dedup on receipt).
//   - Order per key: jobs with the same key run one at a time, oldest first; a
//     job waiting for a retry holds back the later jobs of its key.
//   - Retry with backoff: a failed job runs again after an exponential delay
//     (or the delay the error asks for); an error with a Permanent() method
//     returning true moves the job to the dead letters instead.
package outbox
