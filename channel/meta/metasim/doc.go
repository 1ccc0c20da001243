// Package metasim holds what the simulators of Meta's channels
// (whatsappsim, messengersim) share: Meta's webhook signature over the
// exact bytes sent with non-ASCII escaped as Meta does, the GET
// verification handshake a subscription makes, and the retries of a
// failing delivery.
package metasim
