package simkit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestFaultsAreTakenInOrder(t *testing.T) {
	var f Faults
	f.Throttle(1, 0)
	f.FailNext(503, 1)
	f.FailAfterApply(1)
	got := []Injection{f.Take("POST"), f.Take("POST"), f.Take("GET"), f.Take("POST"), f.Take("POST")}
	if got[0].Throttle != time.Second || got[1].Status != 503 || got[2].AfterApply || !got[3].AfterApply || got[4] != (Injection{}) {
		t.Errorf("injections %+v", got)
	}
	f.SetOutage(true)
	f.Throttle(1, time.Second)
	if in := f.Take("GET"); !in.Outage || in.Throttle != 0 {
		t.Errorf("during an outage: %+v", in)
	}
}

func TestDispatcherRetriesAsToldAndReportsEveryCall(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	var done []Delivery
	d := NewDispatcher(DispatcherConfig{
		Retry: func(attempt, status int, _ error) (time.Duration, bool) {
			return time.Millisecond, status == 500 && attempt < 3
		},
		Active: func(h Hook) bool { return h.Tag != "inactive" },
		Done:   func(_ Hook, rec Delivery) { done = append(done, rec) },
	})
	defer d.Stop()
	hook := func(tag string) Hook {
		return Hook{EventID: tag, URL: srv.URL, Tag: tag, Request: func(ctx context.Context, _ int) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
		}}
	}
	d.Hold()
	d.Enqueue(hook("retried"))
	d.Enqueue(hook("inactive"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	if err := d.WaitDeliveries(ctx); err == nil {
		t.Error("WaitDeliveries returned while calls were held")
	}
	cancel()
	d.Release()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	log := d.Deliveries()
	if len(log) != 2 || len(done) != 2 || log[0].Attempts != 2 || !log[0].OK() || log[1].Attempts != 0 || log[1].Err == "" {
		t.Errorf("deliveries %+v", log)
	}
}

func TestBackoffDoublesUpToItsBound(t *testing.T) {
	retry := Backoff(time.Second, 5*time.Second, 5)
	var waits []time.Duration
	for attempt := 1; ; attempt++ {
		wait, again := retry(attempt, 500, nil)
		if !again {
			break
		}
		waits = append(waits, wait)
	}
	if fmt.Sprint(waits) != "[1s 2s 4s 5s]" {
		t.Errorf("waits %v, want 1s 2s 4s 5s", waits)
	}
}
