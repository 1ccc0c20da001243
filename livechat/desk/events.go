package desk

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchboard"
)

// heartbeat is how often an idle event stream sends a comment, so proxies keep
// it open and a dead connection is noticed; the sign-in is checked each time.
const heartbeat = 15 * time.Second

// listWindow is the shortest time between two "changed" events of a stream:
// every change of every session may change the session list, and each
// "changed" makes the page read the entries of the sessions named since
// (or the whole list, the desk's costliest read). An open conversation does
// not wait for it: "sessions" names it at once. Each window lasts up to half
// as long again, at random, so that the pages of a busy desk, all woken by
// the same changes, drift apart instead of reading the list at the same
// moment.
var listWindow = time.Second

// listDelay is how long after a quiet spell the first "changed" waits
// behind the "sessions" event that named the change: the page reads the
// open conversation's new message at once, and its list entries when that
// read is done rather than at the same moment, which kept the message
// waiting for a share of the cores (issue 19's relay, docs/benchmarks.md).
var listDelay = 25 * time.Millisecond

// nextWindow is the length of a stream's next list window.
func nextWindow() time.Duration { return listWindow + rand.N(listWindow/2) }

// sessionsEvent is the data of a "sessions" event: the sessions whose list
// entry (and maybe conversation) changed, and those whose conversation alone
// did.
type sessionsEvent struct {
	IDs           []string `json:"ids"`
	Conversations []string `json:"conversations,omitempty"`
	All           bool     `json:"all,omitempty"`
}

// splitNames sorts the names of notified desk topics into sessions whose
// list entry changed and sessions whose conversation alone changed (see
// switchboard.TopicDeskConversation); a session in both is in the first.
func splitNames(names []string) (listed, conversations []string) {
	inList := make(map[string]bool, len(names))
	for _, n := range names {
		if !strings.HasSuffix(n, switchboard.DeskConversationSuffix) {
			listed, inList[n] = append(listed, n), true
		}
	}
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, switchboard.DeskConversationSuffix); ok && !inList[id] {
			conversations = append(conversations, id)
		}
	}
	return listed, conversations
}

// events streams Server-Sent Events, hints that make the page read the store
// again:
//   - "sessions", as soon as sessions change (a message, the state, the
//     agent), names them ({"ids": [...]}), and apart those whose list entry
//     did not change ({"conversations": [...]}: an agent's message, the
//     customer typing); the page reads again the one it has open if it is
//     named in either, or whatever it has open when the stream cannot tell
//     which changed ({"all": true}: too many at once, or hints the instance
//     may have missed), and notes the "ids" for its list;
//   - "changed": the session list may have changed: the page reads the
//     sessions named since its last read (or the whole list after "all").
//     A stream sends at most one per listWindow: the first at once, and the
//     changes within the window folded into one at its end, so the last
//     change is always sent;
//   - "signedout" when the sign-in ends.
//
// An agent limited to some bots hears only of their sessions (see
// streamScope).
//
// The page's EventSource reconnects by itself and reads everything then, so
// a hint lost while it was away loses nothing.
func (h *handler) events(w http.ResponseWriter, r *http.Request, c *Caller) {
	sc := &streamScope{h: h, agent: c.Agent, known: map[string]bool{}}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	hints, changedSessions, cancel := h.sub.SubscribePrefix(switchboard.TopicDeskPrefix)
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
	// window is armed from a list change after a quiet spell until
	// listDelay later, then while the last "changed" is younger than its
	// window; pending notes a list change not yet told.
	window := time.NewTimer(listWindow)
	window.Stop()
	defer window.Stop()
	var (
		windowC <-chan time.Time // nil while no window is open
		pending bool
	)
	for {
		select {
		case <-r.Context().Done():
			return
		case <-hints:
			names, all := changedSessions()
			ids, conversations := splitNames(names)
			ids, conversations = sc.keep(r.Context(), ids), sc.keep(r.Context(), conversations)
			if len(ids) == 0 && len(conversations) == 0 && !all {
				continue // told with the hint before: it took these names too
			}
			if ids == nil {
				ids = []string{} // "ids" is always a list
			}
			data, _ := json.Marshal(sessionsEvent{IDs: ids, Conversations: conversations, All: all}) // strings and a bool always encode
			event := "event: sessions\ndata: " + string(data) + "\n\n"
			if len(ids) > 0 || all { // else only conversations changed: no list to read
				pending = true
				if windowC == nil {
					window.Reset(listDelay)
					windowC = window.C
				}
			}
			if !send(event) {
				return
			}
		case <-windowC:
			windowC = nil
			if pending {
				pending = false
				window.Reset(nextWindow())
				windowC = window.C
				if !send("event: changed\ndata: {}\n\n") {
					return
				}
			}
		case <-tick.C:
			c, err := h.auth.Authenticate(r)
			if switchboard.ErrorCode(err) == switchboard.EUNAUTHORIZED {
				send("event: signedout\ndata: {}\n\n")
				return
			}
			if err == nil {
				sc.update(c.Agent)
			}
			if !send(": ping\n\n") {
				return
			}
		}
	}
}

// maxKnownSessions bounds what a stream remembers of sessions' bots.
const maxKnownSessions = 10_000

// streamScope keeps, of the sessions a stream is told of, those of bots its
// agent sees. A session's bot never changes, so what it read of one is kept
// (until the agent's bots change); an agent who sees every bot reads nothing.
type streamScope struct {
	h     *handler
	agent *switchboard.Agent
	known map[string]bool // session id: the agent sees it
}

// update takes the agent as read again, forgetting what it knew if the
// agent's bots changed.
func (sc *streamScope) update(a *switchboard.Agent) {
	if a.SeesAllBots() != sc.agent.SeesAllBots() || !slices.Equal(a.Bots, sc.agent.Bots) {
		clear(sc.known)
	}
	sc.agent = a
}

// keep returns the ids of the sessions the agent sees. A session it cannot
// read is left out: the page reads everything again when it reconnects.
func (sc *streamScope) keep(ctx context.Context, ids []string) []string {
	if sc.agent.SeesAllBots() || len(ids) == 0 {
		return ids
	}
	out := ids[:0:0]
	for _, id := range ids {
		sees, ok := sc.known[id]
		if !ok {
			_ = sc.h.store.View(ctx, func(tx switchboard.Tx) error {
				s, err := tx.Session(ctx, id)
				sees, ok = err == nil && sc.agent.SeesBot(s.Client.BotID), err == nil
				return err
			})
			if ok {
				if len(sc.known) >= maxKnownSessions {
					clear(sc.known)
				}
				sc.known[id] = sees
			}
		}
		if sees {
			out = append(out, id)
		}
	}
	return out
}
