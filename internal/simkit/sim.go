package simkit

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Sim is the skeleton every simulator embeds: the faults of its API, its
// webhook dispatcher, the count of API requests, and its listener. Its
// methods are the test controls every simulator has.
type Sim struct {
	// URL is the base URL the simulator is reached at (set by Serve, or by
	// whoever serves it).
	URL string
	// Faults are the API's fault switches; Inject reads them.
	Faults Faults
	// Dispatch makes the webhook calls; the simulator sets it before
	// serving.
	Dispatch *Dispatcher
	requests atomic.Int64
	lis      *Listener
}

// Serve serves h (the simulator embedding s) on addr ("" means a free
// loopback port) and sets URL; name says which simulator in errors and
// logs. When it cannot listen, the dispatcher is stopped.
func (s *Sim) Serve(name, addr string, h http.Handler, log *slog.Logger) error {
	lis, err := Listen(name, addr, h, log)
	if err != nil {
		s.Dispatch.Stop()
		return err
	}
	s.lis, s.URL = lis, lis.URL
	return nil
}

// Close stops serving and stops the webhook deliveries.
func (s *Sim) Close() error {
	s.Dispatch.Stop()
	if s.lis == nil {
		return nil
	}
	return s.lis.Close()
}

// Inject counts an API request and takes its faults (see Faults.Take),
// after waiting out the latency switch.
func (s *Sim) Inject(method string) Injection {
	s.requests.Add(1)
	in := s.Faults.Take(method)
	if in.Latency > 0 {
		time.Sleep(in.Latency)
	}
	return in
}

// Serve answers a request through the injection: a throttle is 429 with
// its Retry-After, a status that status, each written by fail in the
// platform's error shape; a write applied then failed runs route on an
// answer nobody reads, then fails 502. A request with nothing injected is
// route's. (An outage is the caller's to answer first, before it checks
// credentials, as a platform that is down checks nothing.)
func (in Injection) Serve(w http.ResponseWriter, fail func(w http.ResponseWriter, status int), route func(http.ResponseWriter)) {
	switch {
	case in.Throttle > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(in.Throttle/time.Second)))
		fail(w, http.StatusTooManyRequests)
	case in.Status != 0:
		fail(w, in.Status)
	case in.AfterApply:
		route(DiscardWriter{H: http.Header{}})
		fail(w, http.StatusBadGateway)
	default:
		route(w)
	}
}

// Requests is how many API requests the simulator answered.
func (s *Sim) Requests() int { return int(s.requests.Load()) }

// SetChaos sets the delivery switches.
func (s *Sim) SetChaos(c Chaos) { s.Dispatch.SetChaos(c) }

// SetOutage turns a total API outage on or off: every request is answered
// 503 while it lasts (webhook deliveries go on).
func (s *Sim) SetOutage(on bool) { s.Faults.SetOutage(on) }

// SetLatency slows every API answer down by d.
func (s *Sim) SetLatency(d time.Duration) { s.Faults.SetLatency(d) }

// Throttle answers the next n API requests with 429 and a Retry-After of
// retryAfter (whole seconds, at least 1), whatever the platform's own rate
// limiter says.
func (s *Sim) Throttle(n int, retryAfter time.Duration) { s.Faults.Throttle(n, retryAfter) }

// FailNext answers the next n API requests with status, and the platform's
// message for it.
func (s *Sim) FailNext(status, n int) { s.Faults.FailNext(status, n) }

// FailAfterApply applies the next n writes and then answers 502, as when an
// answer is lost after the platform did the work: the client's retry must
// find what it made instead of making it twice.
func (s *Sim) FailAfterApply(n int) { s.Faults.FailAfterApply(n) }

// Switches reads every switch of the dispatcher and the API.
func (s *Sim) Switches() Switches { return ReadSwitches(s.Dispatch, &s.Faults) }

// SetSwitches sets every switch of the dispatcher and the API.
func (s *Sim) SetSwitches(sw Switches) { sw.Apply(s.Dispatch, &s.Faults) }

// Deliveries returns every webhook call made so far, in the order they
// ended.
func (s *Sim) Deliveries() []Delivery { return s.Dispatch.Deliveries() }

// WaitDeliveries waits until no webhook call is queued, being made or
// delayed (held calls count as queued), or ctx ends.
func (s *Sim) WaitDeliveries(ctx context.Context) error { return s.Dispatch.WaitDeliveries(ctx) }

// HoldDeliveries keeps webhook calls queued until ReleaseDeliveries: a
// delivery pipeline that is late, for as long as a test needs.
func (s *Sim) HoldDeliveries() { s.Dispatch.Hold() }

// ReleaseDeliveries makes the held calls, through the chaos switches.
func (s *Sim) ReleaseDeliveries() { s.Dispatch.Release() }

// IDs hand out increasing ids per kind ("ticket", "message"), from the
// values they start with; the simulator guards them with its own lock.
type IDs map[string]int64

// Next is the next id of kind.
func (ids IDs) Next(kind string) int64 {
	ids[kind]++
	return ids[kind]
}

// InLock runs f with what find finds, holding mu, or notFound (mu held)
// when it finds nothing: how a simulator's handler of one object starts.
func InLock[T any](mu *sync.Mutex, find func() *T, notFound func(), f func(*T)) {
	mu.Lock()
	defer mu.Unlock()
	v := find()
	if v == nil {
		notFound()
		return
	}
	f(v)
}

// Defaults sets what a simulator's config leaves unset: its clock to
// time.Now, its log to one that discards.
func Defaults(now *func() time.Time, log **slog.Logger) {
	if *now == nil {
		*now = time.Now
	}
	if *log == nil {
		*log = slog.New(slog.DiscardHandler)
	}
}

// Started is a simulator's Start: the simulator once it serves (err from
// its Serve is nil), else no simulator and the error.
func Started[S any](s S, err error) (S, error) {
	if err != nil {
		var none S
		return none, err
	}
	return s, nil
}
