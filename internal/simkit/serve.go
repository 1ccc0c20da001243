package simkit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Listener serves a simulator over HTTP.
type Listener struct {
	// URL is the base URL the simulator is reached at.
	URL  string
	http *http.Server
	done chan struct{}
}

// Listen serves h on addr ("" means a free loopback port); name says which
// simulator in errors and logs.
func Listen(name, addr string, h http.Handler, log *slog.Logger) (*Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s simulator: listen on %s: %w", name, addr, err)
	}
	s := &Listener{URL: "http://" + l.Addr().String(), http: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(name+" simulator stopped", "err", err)
		}
	}()
	return s, nil
}

// Close stops serving, waiting up to 5 seconds for requests in flight.
func (s *Listener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	<-s.done
	return err
}
