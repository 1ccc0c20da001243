package gorgiassim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"switchboard/internal/simkit"
)

// delivery is one rendered call of an integration for one event.
type delivery struct {
	tag
	eventID     string
	eventType   string
	objectID    string
	method, url string
	header      http.Header
	body        []byte
}

// tag is what the simulator keeps of a call: its integration, and the
// customer of the ticket it is about.
type tag struct {
	integration, customer int64
}

// hook is the delivery as the dispatcher makes it.
func (x delivery) hook() simkit.Hook {
	return simkit.Hook{
		EventID: x.eventID, EventType: x.eventType, ObjectID: x.objectID, URL: x.url, Tag: x.tag,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			var body io.Reader
			if x.body != nil {
				body = bytes.NewReader(x.body)
			}
			req, err := http.NewRequestWithContext(ctx, x.method, x.url, body)
			if err != nil {
				return nil, err
			}
			req.Header = x.header.Clone()
			req.Header.Set("User-Agent", "Gorgias-simulator")
			return req, nil
		},
	}
}

// Delivery is what became of one call, for tests and the console.
type Delivery = simkit.Delivery

// Chaos are the switches that make webhook deliveries misbehave the ways a
// real network and a real Gorgias may: repeated, out of order, late.
type Chaos = simkit.Chaos

// maxConsecutiveFailures deactivates an integration, as Gorgias does after
// 100 failed calls in a row.
const maxConsecutiveFailures = 100

// newDispatcher makes the integrations' calls: one at a time in the order
// of the events (or DeliveryWorkers at once), a call that times out made
// again up to DeliveryRetries times, never for an integration deactivated
// since the event.
func newDispatcher(s *Server) *simkit.Dispatcher {
	return simkit.NewDispatcher(simkit.DispatcherConfig{
		Workers: s.cfg.DeliveryWorkers, Timeout: s.cfg.DeliveryTimeout, Seed: s.cfg.Seed,
		Retry: func(attempt, _ int, err error) (time.Duration, bool) {
			var ne net.Error
			timeout := err != nil && errors.As(err, &ne) && ne.Timeout()
			return time.Duration(attempt) * 50 * time.Millisecond, timeout && attempt <= s.cfg.DeliveryRetries
		},
		Active: func(h simkit.Hook) bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			in := s.integration(h.Tag.(tag).integration)
			return in != nil && in.DeactivatedDatetime == nil
		},
		Done: s.delivered,
	})
}

// delivered counts an integration's failures in a row: a success resets
// the count, the hundredth failure deactivates it. A call that was never
// made counts for nothing. A GET integration's JSON answer is kept on the
// ticket's customer, under the integration's id: Gorgias shows it to agents
// ("integrations: data coming from integrations (Shopify, Recharge, HTTP,
// etc...) associated with the customer. Keys of the object are integration
// IDs", https://developers.gorgias.com/reference/the-customer-object).
func (s *Server) delivered(h simkit.Hook, rec Delivery) {
	if rec.Attempts == 0 {
		return
	}
	tg := h.Tag.(tag)
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.integration(tg.integration)
	if in == nil {
		return
	}
	if !rec.OK() {
		if in.Failures++; in.Failures >= maxConsecutiveFailures && in.DeactivatedDatetime == nil {
			in.DeactivatedDatetime = ptr(timestamp(s.now()))
		}
		return
	}
	in.Failures = 0
	var answer any
	if c := s.customer(tg.customer); c != nil && in.HTTP.Method == http.MethodGet && json.Unmarshal(rec.Body, &answer) == nil {
		c.Integrations[strconv.FormatInt(in.ID, 10)] = answer
	}
}
