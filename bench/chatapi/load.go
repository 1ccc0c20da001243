package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/bench/internal/loadtest"
)

// target is an endpoint the load is sent to, with the users the turns are
// spread over: a user's turns never overlap (each belongs to one client
// goroutine, or is scheduled round robin at a fixed rate), as one person's
// messages do not.
type target struct {
	url    string
	key    string
	users  int
	client *http.Client
	next   atomic.Int64
}

func newTarget(url, key string, users, conns int) *target {
	tr := &http.Transport{MaxIdleConns: 4 * conns, MaxIdleConnsPerHost: 4 * conns, IdleConnTimeout: time.Minute}
	return &target{url: url, key: key, users: users, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// turn sends one text message of user u and reports whether it succeeded.
func (t *target) turn(ctx context.Context, u int) error {
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

// result is what a phase measured.
type result struct {
	ok, errors int64
	elapsed    time.Duration
	lat        *loadtest.Latencies
	firstErr   error
}

func (r result) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

// saturate runs conc clients that send turns back to back for d. Client c
// owns the users c, c+conc, c+2*conc, ...
func saturate(ctx context.Context, t *target, conc int, d time.Duration) result {
	r := result{lat: &loadtest.Latencies{}}
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
				if err := t.turn(context.WithoutCancel(ctx), u); err != nil {
					failed.Add(1)
					errOnce.Do(func() { r.firstErr = err })
					continue
				}
				r.lat.Add(time.Since(t0))
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	r.elapsed, r.ok, r.errors = time.Since(start), ok.Load(), failed.Load()
	return r
}

// fixedRate sends rate turns a second for d, open loop: each request goes
// when it is due, whatever the earlier ones are doing, and its latency counts
// from then. User u's turns are users apart, so at most one is in flight.
func fixedRate(ctx context.Context, t *target, rate int, d time.Duration) result {
	r := result{lat: &loadtest.Latencies{}}
	var ok, failed atomic.Int64
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
			if err := t.turn(context.WithoutCancel(ctx), i%t.users); err != nil {
				failed.Add(1)
				return
			}
			r.lat.Add(time.Since(due))
			ok.Add(1)
		})
	}
	wg.Wait()
	r.elapsed, r.ok, r.errors = time.Since(start), ok.Load(), failed.Load()
	return r
}
