package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// Target is an endpoint of the Chat API (or the trivial handler standing in
// for it) the load is sent to, with the users the turns are spread over: a
// user's turns never overlap (each belongs to one client goroutine, or is
// scheduled round robin at a fixed rate), as one person's messages do not.
type Target struct {
	url    string
	key    string
	users  int
	client *http.Client
	next   atomic.Int64
}

// NewTarget sends Chat API turns to url with the API key key, spread over
// users, with up to 4*conns idle connections kept.
func NewTarget(url, key string, users, conns int) *Target {
	tr := &http.Transport{MaxIdleConns: 4 * conns, MaxIdleConnsPerHost: 4 * conns, IdleConnTimeout: time.Minute}
	return &Target{url: url, key: key, users: max(users, 1), client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// Close closes the target's idle connections.
func (t *Target) Close() { t.client.CloseIdleConnections() }

// Turn sends one text message of user u and reports whether it succeeded.
func (t *Target) Turn(ctx context.Context, u int) error {
	body := fmt.Sprintf(`{"client":{"user_id":"user-%d"},"payload":{"content_type":"text","content":{"text":"hello %d"}}}`, u, t.next.Add(1))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Api-Key", t.key)
	res, err := t.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

// Result is what a phase of requests measured.
type Result struct {
	OK, Errors int64
	Elapsed    time.Duration
	Lat        *Latencies
	FirstErr   error
}

// Rate is the successful requests per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// Saturate runs conc clients that send turns back to back for d. Client c
// owns the users c, c+conc, c+2*conc, ...
func Saturate(ctx context.Context, t *Target, conc int, d time.Duration) Result {
	r := Result{Lat: &Latencies{}}
	var ok, failed atomic.Int64
	var errOnce sync.Once
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range conc {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				u := c + conc*(i%max(1, t.users/conc))
				t0 := time.Now()
				if err := t.Turn(context.WithoutCancel(ctx), u); err != nil {
					failed.Add(1)
					errOnce.Do(func() { r.FirstErr = err })
					continue
				}
				r.Lat.Add(time.Since(t0))
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	r.Elapsed, r.OK, r.Errors = time.Since(start), ok.Load(), failed.Load()
	return r
}

// FixedRate sends rate turns a second for d, open loop: each request goes
// when it is due, whatever the earlier ones are doing, and its latency counts
// from then. User u's turns are users apart, so at most one is in flight.
func FixedRate(ctx context.Context, t *Target, rate int, d time.Duration) Result {
	r := Result{Lat: &Latencies{}}
	var ok, failed atomic.Int64
	var errOnce sync.Once
	interval := time.Second / time.Duration(rate)
	n := int(d / interval)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			if err := t.Turn(context.WithoutCancel(ctx), i%t.users); err != nil {
				failed.Add(1)
				errOnce.Do(func() { r.FirstErr = err })
				return
			}
			r.Lat.Add(time.Since(due))
			ok.Add(1)
		})
	}
	wg.Wait()
	r.Elapsed, r.OK, r.Errors = time.Since(start), ok.Load(), failed.Load()
	return r
}

// StartTrivial serves, on loopback, a handler that reads the request and
// answers a small JSON body the size of a chat turn's: what HTTP alone costs.
func StartTrivial() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"request_id":"x","messages":[{"payload":{"content_type":"text","content":{"text":"You said hello"}}}]}`))
	}))
}

// BareLoopback is the baseline every figure is given next to: conc clients
// sending Chat API requests back to back for d to the trivial handler, in
// this process, on loopback. It says what this machine's HTTP stack does with
// this client at the time of the run.
func BareLoopback(ctx context.Context, conc int, d time.Duration) Result {
	srv := StartTrivial()
	defer srv.Close()
	t := NewTarget(srv.URL+"/v1/api/chat", "", 1000, conc)
	defer t.Close()
	return Saturate(ctx, t, conc, d)
}

// Measure runs a phase while sampling the CPU of the machine, of this tool,
// and of what p names (the server's process, its database).
func Measure[T any](p Probe, run func() T) (T, CPUUse) {
	before := p.Sample()
	v := run()
	return v, CPUBetween(before, p.Sample())
}
