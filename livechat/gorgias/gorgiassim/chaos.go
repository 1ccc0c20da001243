package gorgiassim

import (
	"time"

	"switchboard/internal/simkit"
)

// Chaos are the switches that make webhook deliveries misbehave the ways a
// real network and a real Gorgias may: repeated, out of order, late.
type Chaos = simkit.Chaos

// SetChaos sets the delivery switches.
func (s *Server) SetChaos(c Chaos) { s.dispatch.SetChaos(c) }

// SetOutage turns a total API outage on or off: every request is answered
// 503 while it lasts (webhook deliveries go on).
func (s *Server) SetOutage(on bool) { s.faults.SetOutage(on) }

// SetLatency slows every API answer down by d.
func (s *Server) SetLatency(d time.Duration) { s.faults.SetLatency(d) }

// Throttle answers the next n API requests with 429 and Retry-After (whole
// seconds, at least 1), whatever the bucket says.
func (s *Server) Throttle(n int, retryAfter time.Duration) { s.faults.Throttle(n, retryAfter) }

// FailNext answers the next n API requests with status and Gorgias's
// message for it (401, 403, 404, 409, 413, 503…).
func (s *Server) FailNext(status, n int) { s.faults.FailNext(status, n) }

// FailAfterApply applies the next n writes (POST, PUT, DELETE) and then
// answers 502, as when a response is lost after Gorgias did the work: the
// client's retry must find what it made instead of making it twice.
func (s *Server) FailAfterApply(n int) { s.faults.FailAfterApply(n) }
