package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// balancer is the load balancer in front of the instances, as an operator
// runs one (docs/scaling.md): every client, agent and platform reaches
// switchboard through it. It sends each request to the next instance that
// is up (its /readyz answered 200 on the last check, every 200 ms), and a
// request that could not reach an instance (the connection refused) to
// another one, as nginx's proxy_next_upstream does; a request that reached
// an instance which then died is answered 502, and its client decides
// whether to try again. It passes WebSocket upgrades and streams, and keeps
// the Host header.
type balancer struct {
	URL      string
	backends []*backend
	next     atomic.Uint64
	proxy    *httputil.ReverseProxy
	srv      *http.Server
	stop     chan struct{}
	wg       sync.WaitGroup
	// Refused counts requests answered 502 or 503 by the balancer itself.
	Refused atomic.Int64
}

// backend is one instance behind the balancer.
type backend struct {
	url *url.URL
	up  atomic.Bool
}

// errNoBackend is the balancer's answer when no instance is up.
var errNoBackend = errors.New("no instance is up")

// maxBufferedBody bounds the request bodies kept to be sent again to
// another instance.
const maxBufferedBody = 1 << 20

// startBalancer listens on a free loopback port; setBackends gives it its
// instances.
func startBalancer() (*balancer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("balancer: %w", err)
	}
	b := &balancer{URL: "http://" + l.Addr().String(), stop: make(chan struct{})}
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     30 * time.Second,
	}
	b.proxy = &httputil.ReverseProxy{
		Rewrite:   func(*httputil.ProxyRequest) {}, // the transport picks the instance; Host is kept
		Transport: &pickTransport{b: b, base: transport},
		ErrorLog:  log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			b.Refused.Add(1)
			status := http.StatusBadGateway
			if errors.Is(err, errNoBackend) {
				status = http.StatusServiceUnavailable
			}
			http.Error(w, "balancer: "+err.Error(), status)
		},
	}
	b.srv = &http.Server{Handler: http.HandlerFunc(b.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = b.srv.Serve(l) }()
	return b, nil
}

// setBackends sets the instances, checks them once, and goes on checking
// them.
func (b *balancer) setBackends(urls []string) error {
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("balancer backend: %w", err)
		}
		b.backends = append(b.backends, &backend{url: u})
	}
	client := &http.Client{Timeout: 500 * time.Millisecond}
	b.checkOnce(client)
	b.wg.Go(func() { b.check(client) })
	return nil
}

// serve keeps a request's body, so that a request no instance took can be
// sent to another, then proxies it.
func (b *balancer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Body != nil && r.Header.Get("Upgrade") == "" {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBufferedBody+1))
		if err != nil || len(body) > maxBufferedBody {
			http.Error(w, "balancer: cannot read the body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	b.proxy.ServeHTTP(w, r)
}

// pickTransport sends a request to an instance that is up, and to the next
// one when the connection is refused.
type pickTransport struct {
	b    *balancer
	base *http.Transport
}

func (t *pickTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tried := map[*backend]bool{}
	for {
		be := t.b.pick(tried)
		if be == nil {
			return nil, errNoBackend
		}
		out := req.Clone(req.Context())
		out.URL.Scheme, out.URL.Host = be.url.Scheme, be.url.Host
		if req.GetBody != nil {
			out.Body, _ = req.GetBody()
		}
		res, err := t.base.RoundTrip(out)
		var op *net.OpError
		if err != nil && errors.As(err, &op) && op.Op == "dial" {
			be.up.Store(false) // down until its /readyz answers again
			tried[be] = true
			continue
		}
		return res, err
	}
}

// pick returns the next backend that is up and not tried yet, or nil.
func (b *balancer) pick(tried map[*backend]bool) *backend {
	n := len(b.backends)
	start := int(b.next.Add(1))
	for i := range n {
		be := b.backends[(start+i)%n]
		if be.up.Load() && !tried[be] {
			return be
		}
	}
	return nil
}

// check asks each instance's /readyz every 200 ms.
func (b *balancer) check(client *http.Client) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			b.checkOnce(client)
		case <-b.stop:
			return
		}
	}
}

// checkOnce asks each instance's /readyz once.
func (b *balancer) checkOnce(client *http.Client) {
	for _, be := range b.backends {
		ok := false
		if res, err := client.Get(be.url.String() + "/readyz"); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			ok = res.StatusCode == http.StatusOK
		}
		be.up.Store(ok)
	}
}

// close stops the balancer.
func (b *balancer) close() {
	close(b.stop)
	b.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = b.srv.Shutdown(ctx)
	_ = b.srv.Close()
}
