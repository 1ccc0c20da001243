package driverkit

import (
	"net/http"
	"time"
)

// NoRedirectClient is an HTTP client for a platform's API: calls time out
// after timeout, and a redirect is answered as it is rather than followed
// (an API does not redirect, and credentials must not follow one). Its
// connections are kept (Transport).
func NoRedirectClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Transport is the platforms' clients' transport: http.DefaultTransport's,
// but keeping up to 64 idle connections per host rather than 2. The
// outbox sends up to 16 jobs at once, most to one API (graph.facebook.com):
// with 2 kept, every burst closed the others and the next opened them
// again, a TCP and TLS handshake per message sent.
var Transport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}()
