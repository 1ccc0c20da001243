package chatwootsim

// SetBadSignatures signs the webhook calls of the events from now on with
// a wrong secret (a forger's).
func (s *Server) SetBadSignatures(on bool) {
	s.mu.Lock()
	s.badSignatures = on
	s.mu.Unlock()
}
