package webapp

import "time"

// SetHeartbeat shortens the heartbeat of h's connections, for tests.
func SetHeartbeat(h *Handler, every, timeout time.Duration) {
	h.pingEvery, h.pingTimeout = every, timeout
}
