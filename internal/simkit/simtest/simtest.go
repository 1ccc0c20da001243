// Package simtest holds what the simulators' tests share: a webhook
// endpoint that records the calls a simulator makes, waiting for a
// simulator's deliveries, and the checks of the chaos switches every
// simulator has (simkit's).
package simtest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/internal/simkit"
)

// Receiver is a webhook endpoint that records the calls made to it.
type Receiver struct {
	// URL is where it listens.
	URL string
	// Answer is the status of the nth call (from 1); set it before the
	// calls. The default answers 200.
	Answer func(n int) int
	mu     sync.Mutex
	calls  []Call
}

// Call is one call made to a Receiver: the request, whose body is read
// into Body.
type Call struct {
	*http.Request
	Body []byte
}

// NewReceiver starts a Receiver for the length of a test.
func NewReceiver(t *testing.T) *Receiver {
	rc := &Receiver{Answer: func(int) int { return http.StatusOK }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.calls = append(rc.calls, Call{Request: r, Body: body})
		n, answer := len(rc.calls), rc.Answer
		rc.mu.Unlock()
		w.WriteHeader(answer(n))
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

// Calls returns the calls made so far, in the order they came.
func (rc *Receiver) Calls() []Call {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.calls)
}

// Deliverer is a simulator as these checks drive it (simkit.Sim's test
// controls).
type Deliverer interface {
	WaitDeliveries(ctx context.Context) error
	HoldDeliveries()
	ReleaseDeliveries()
	SetChaos(simkit.Chaos)
}

// WaitIdle waits, 10 seconds at most, until a simulator made every webhook
// call it queued.
func WaitIdle(t *testing.T, s interface {
	WaitDeliveries(ctx context.Context) error
}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
}

// ChaosSwitches checks the switches as a tester uses them: held calls are
// not made until released, a reorder group of 3 comes reversed, and a
// duplicated call (delayed) comes twice. reply makes an agent reply with a
// text, whose webhook call texts lists among every call's text so far.
func ChaosSwitches(t *testing.T, s Deliverer, reply func(text string), texts func() []string) {
	t.Helper()
	WaitIdle(t, s)
	before := len(texts())
	s.HoldDeliveries()
	for _, text := range []string{"m1", "m2", "m3"} {
		reply(text)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(texts()); n != before {
		t.Fatalf("held deliveries were made: %d calls, %d before", n, before)
	}
	s.SetChaos(simkit.Chaos{Reorder: 3})
	s.ReleaseDeliveries()
	WaitIdle(t, s)
	if got := strings.Join(texts()[before:], ","); got != "m3,m2,m1" {
		t.Errorf("order of calls %s, want m3,m2,m1", got)
	}
	s.SetChaos(simkit.Chaos{Duplicate: 1, Delay: 20 * time.Millisecond})
	reply("twice")
	WaitIdle(t, s)
	n := 0
	for _, text := range texts() {
		if text == "twice" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("a duplicated delivery arrived %d times", n)
	}
}
