package simkit

import (
	"net/http"
	"sync"
	"time"
)

// Faults are the switches that make a simulator's REST API fail the ways a
// real platform does: down, slow, rate limiting, refusing, or losing the
// answer of a write it did. The zero value injects nothing.
type Faults struct {
	mu      sync.Mutex
	outage  bool
	latency time.Duration
	// throttleLeft requests are answered 429 with Retry-After throttleAfter.
	throttleLeft  int
	throttleAfter time.Duration
	failStatus    int
	failLeft      int
	// afterApplyLeft writes are applied, then answered 502.
	afterApplyLeft int
}

// Injection is what happens to one API request.
type Injection struct {
	// Outage answers 503.
	Outage bool
	// Latency delays the answer.
	Latency time.Duration
	// Throttle, when set, answers 429 with this Retry-After.
	Throttle time.Duration
	// Status, when set, answers this status.
	Status int
	// AfterApply does the request, then answers 502.
	AfterApply bool
}

// Take decides the fate of one request and counts down the switches.
func (f *Faults) Take(method string) Injection {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := Injection{Outage: f.outage, Latency: f.latency}
	if in.Outage {
		return in
	}
	switch {
	case f.throttleLeft > 0:
		f.throttleLeft--
		in.Throttle = f.throttleAfter
	case f.failLeft > 0:
		f.failLeft--
		in.Status = f.failStatus
	case f.afterApplyLeft > 0 && method != http.MethodGet:
		f.afterApplyLeft--
		in.AfterApply = true
	}
	return in
}

// SetOutage turns a total API outage on or off: every request is answered
// 503 while it lasts (webhook deliveries go on).
func (f *Faults) SetOutage(on bool) {
	f.mu.Lock()
	f.outage = on
	f.mu.Unlock()
}

// SetLatency slows every API answer down by d.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	f.latency = d
	f.mu.Unlock()
}

// Throttle answers the next n API requests with 429 and Retry-After (whole
// seconds, at least 1), whatever a rate limiter says.
func (f *Faults) Throttle(n int, retryAfter time.Duration) {
	f.mu.Lock()
	f.throttleLeft, f.throttleAfter = n, max(retryAfter, time.Second)
	f.mu.Unlock()
}

// FailNext answers the next n API requests with status.
func (f *Faults) FailNext(status, n int) {
	f.mu.Lock()
	f.failStatus, f.failLeft = status, n
	f.mu.Unlock()
}

// FailAfterApply applies the next n writes (any method but GET) and then
// answers 502, as when a response is lost after the platform did the work:
// a client's retry must find what it made instead of making it twice.
func (f *Faults) FailAfterApply(n int) {
	f.mu.Lock()
	f.afterApplyLeft = n
	f.mu.Unlock()
}

// DiscardWriter swallows a response (a request applied, then failed).
type DiscardWriter struct{ H http.Header }

// Header returns the swallowed headers.
func (d DiscardWriter) Header() http.Header { return d.H }

// Write swallows p.
func (d DiscardWriter) Write(p []byte) (int, error) { return len(p), nil }

// WriteHeader swallows the status.
func (d DiscardWriter) WriteHeader(int) {}
