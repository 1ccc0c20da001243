package chatwootsim

import "time"

// SetChaos sets the delivery switches.
func (s *Server) SetChaos(c Chaos) { s.dispatch.SetChaos(c) }

// SetBadSignatures signs the webhook calls of the events from now on with
// a wrong secret (a forger's).
func (s *Server) SetBadSignatures(on bool) {
	s.mu.Lock()
	s.badSignatures = on
	s.mu.Unlock()
}

// SetOutage turns a total API outage on or off: every request is answered
// 503 while it lasts (webhook calls go on).
func (s *Server) SetOutage(on bool) { s.faults.SetOutage(on) }

// SetLatency slows every API answer down by d.
func (s *Server) SetLatency(d time.Duration) { s.faults.SetLatency(d) }

// Throttle answers the next n API requests with 429 and a Retry-After of
// retryAfter (whole seconds, at least 1; Chatwoot's own limiter sends
// none).
func (s *Server) Throttle(n int, retryAfter time.Duration) { s.faults.Throttle(n, retryAfter) }

// FailNext answers the next n API requests with status.
func (s *Server) FailNext(status, n int) { s.faults.FailNext(status, n) }

// FailAfterApply applies the next n writes and then answers 502, as when
// an answer is lost after Chatwoot did the work: the client's retry must
// find what it made instead of making it twice.
func (s *Server) FailAfterApply(n int) { s.faults.FailAfterApply(n) }
