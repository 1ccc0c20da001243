// Package simkit holds what the simulators of livechat platforms
// (gorgiassim, chatwootsim) and of messaging channels share, so that a
// simulator is only its platform's API and objects:
//
//   - Sim, embedded in a simulator's server: serving over HTTP (Serve,
//     Close), the faults injected into its API (Inject, then
//     Injection.Serve: outage, latency, forced 429s and statuses, writes
//     applied then failed), its webhook Dispatcher, and the test controls
//     every simulator has (SetChaos, Throttle, FailNext, Deliveries,
//     HoldDeliveries…).
//   - The Dispatcher makes webhook calls with the platform's retries
//     (Backoff: doubling waits, as messaging platforms retry), and the
//     chaos switches (duplicated, reordered, delayed, held deliveries);
//     Switches are every switch as a console and the control API read
//     and set them.
//   - Control answers the control API's shared routes (/info,
//     /deliveries, /chaos, a thread's agent actions); Console renders the
//     one console page with a simulator's parts, ServeConsole serves it.
//   - Helpers: IDs per kind, WriteJSON, Lookup of dotted paths.
//
// Package simtest holds what the simulators' tests share.
package simkit
