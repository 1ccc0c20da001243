package desk

import (
	"io"
	"net/http"
	"time"

	"switchboard"
)

// heartbeat is how often an idle event stream sends a comment, so proxies keep
// it open and a dead connection is noticed; the sign-in is checked each time.
const heartbeat = 15 * time.Second

// eventWindow is the shortest time between two "changed" events of a stream:
// every message of every session notifies the desk, and each event makes the
// page read the session list again.
var eventWindow = 250 * time.Millisecond

// events streams Server-Sent Events: "changed" after desk notifications (a
// hint: the page refetches what it shows), "signedout" when the sign-in ends.
// A stream sends at most one "changed" per eventWindow: the first at once, and
// the notifications that arrive within the window folded into one at its end,
// so the last change is always sent. The page's EventSource reconnects by
// itself and refetches then, so a hint lost while it was away loses nothing.
func (h *handler) events(w http.ResponseWriter, r *http.Request, _ *Caller) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	hints, cancel := h.sub.Subscribe(switchboard.TopicDesk)
	defer cancel()

	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	send := func(s string) bool {
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 3000\nevent: ready\ndata: {}\n\n") {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	// window is armed while the last "changed" is younger than eventWindow;
	// pending notes a notification that came in meanwhile.
	window := time.NewTimer(eventWindow)
	window.Stop()
	defer window.Stop()
	var (
		windowC <-chan time.Time // nil while no window is open
		pending bool
	)
	changed := func() bool {
		pending = false
		window.Reset(eventWindow)
		windowC = window.C
		return send("event: changed\ndata: {}\n\n")
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-hints:
			if windowC != nil {
				pending = true
				continue
			}
			if !changed() {
				return
			}
		case <-windowC:
			windowC = nil
			if pending && !changed() {
				return
			}
		case <-tick.C:
			if _, err := h.auth.Authenticate(r); switchboard.ErrorCode(err) == switchboard.EUNAUTHORIZED {
				send("event: signedout\ndata: {}\n\n")
				return
			}
			if !send(": ping\n\n") {
				return
			}
		}
	}
}
