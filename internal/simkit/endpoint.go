package simkit

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// Endpoint is where a simulator serves: the listener its Start opened, or
// the URL of a server someone else runs (an httptest server). Drivers and
// tests read its URL while the simulator serves, so it has a lock of its
// own.
type Endpoint struct {
	mu  sync.Mutex
	lis *Listener
	url string
}

// Listen serves h on addr (default a free loopback port) as the named
// simulator.
func (e *Endpoint) Listen(name, addr string, h http.Handler, log *slog.Logger) error {
	lis, err := Listen(name, addr, h, log)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.lis, e.url = lis, lis.URL
	e.mu.Unlock()
	return nil
}

// URL is the base URL the simulator answers on: a driver's api_base.
func (e *Endpoint) URL() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.url
}

// SetURL tells a simulator served by someone else its base URL, which the
// links it hands out (media downloads) start with.
func (e *Endpoint) SetURL(u string) {
	e.mu.Lock()
	e.url = strings.TrimRight(u, "/")
	e.mu.Unlock()
}

// StopServing closes the listener Listen opened, if any, waiting briefly
// for requests in flight.
func (e *Endpoint) StopServing() {
	e.mu.Lock()
	lis := e.lis
	e.mu.Unlock()
	if lis != nil {
		_ = lis.Close()
	}
}
