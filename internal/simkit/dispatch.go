package simkit

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Chaos are the switches that make webhook deliveries misbehave the ways a
// real network and a real platform may: repeated, out of order, late.
type Chaos struct {
	// Duplicate is the chance (0 to 1) that a delivery is sent twice.
	Duplicate float64
	// Reorder sends deliveries in groups of up to this many, each group in
	// reverse order (0 or 1: in order).
	Reorder int
	// Delay holds each delivery back for a random time up to this long, so
	// that deliveries overtake each other.
	Delay time.Duration
}

// Hook is one webhook call to make.
type Hook struct {
	// EventID, EventType and ObjectID describe the call in the log (the
	// delivery or event id, the event, the object it is about).
	EventID, EventType, ObjectID string
	URL                          string
	// Request builds the request of one attempt (from 1): a retry may sign
	// afresh.
	Request func(ctx context.Context, attempt int) (*http.Request, error)
	// Tag is the simulator's own data about the call (its integration, its
	// message).
	Tag any
}

// Delivery is what became of one call, for tests and the console.
type Delivery struct {
	EventID   string `json:"event_id"`
	EventType string `json:"event_type"`
	// ObjectID is the event's object: a message, a ticket, a conversation.
	ObjectID string `json:"object_id"`
	URL      string `json:"url"`
	// Started is when the first call began (after any chaos delay).
	Started time.Time `json:"started"`
	// Status is the answer's status, 0 when there was none.
	Status   int    `json:"status"`
	Attempts int    `json:"attempts"`
	Err      string `json:"error,omitempty"`
	// Duplicate marks the second send of a duplicated delivery.
	Duplicate bool `json:"duplicate,omitempty"`
	// Body is the last answer's body, up to maxBody, for Done only (a
	// platform may keep what its webhook was answered); the log drops it.
	Body []byte `json:"-"`
}

// maxBody bounds the answer's body a Delivery keeps.
const maxBody = 64 << 10

// OK reports whether the call was answered 2xx.
func (d Delivery) OK() bool { return d.Err == "" && d.Status >= 200 && d.Status < 300 }

// DispatcherConfig shapes a dispatcher; the zero value sends each call
// once, one at a time, with a 10-second timeout.
type DispatcherConfig struct {
	// Workers is how many calls are made at once (default 1: one at a time,
	// in the order of the events).
	Workers int
	// Timeout bounds one attempt (default 10 s).
	Timeout time.Duration
	// Retry says whether attempt n, answered status (0 when none came) or
	// failed with err, is made again, and after how long. Nil: never.
	Retry func(attempt, status int, err error) (time.Duration, bool)
	// Active says whether a call may still be made when its turn comes
	// (Gorgias deactivates integrations). Nil: always.
	Active func(Hook) bool
	// Done is told what became of each call, before WaitDeliveries can
	// return; it may queue more calls.
	Done func(Hook, Delivery)
	// Seed makes the chaos switches' randomness repeatable.
	Seed uint64
}

// reorderWindow is how long a reorder group waits to fill up.
const reorderWindow = 30 * time.Millisecond

// call is a queued hook and whether it is a chaos duplicate.
type call struct {
	Hook
	duplicate bool
}

// Dispatcher sends webhook calls in the order they were queued, unless the
// chaos switches say otherwise, one at a time (or each after its own delay,
// or several at once with Workers).
type Dispatcher struct {
	cfg    DispatcherConfig
	client *http.Client
	mu     sync.Mutex
	chaos  Chaos
	rnd    *rand.Rand
	wake   chan struct{}
	queue  []call
	held   bool
	// busy counts calls queued, being sent, or waiting out a delay.
	busy int
	idle chan struct{}
	// slots bounds the calls made at once.
	slots  chan struct{}
	log    []Delivery
	stopCh chan struct{}
	// ctx ends calls in flight when the dispatcher stops.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewDispatcher starts a dispatcher; Stop ends it.
func NewDispatcher(cfg DispatcherConfig) *Dispatcher {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	d := &Dispatcher{cfg: cfg, client: &http.Client{}, wake: make(chan struct{}, 1), stopCh: make(chan struct{}), idle: make(chan struct{}),
		slots: make(chan struct{}, cfg.Workers), rnd: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed))}
	close(d.idle)
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.wg.Add(1)
	go d.loop()
	return d
}

// Enqueue adds a call; it never blocks.
func (d *Dispatcher) Enqueue(h Hook) {
	d.mu.Lock()
	d.queue = append(d.queue, call{Hook: h})
	d.addBusy(1)
	d.mu.Unlock()
	d.poke()
}

func (d *Dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// addBusy moves the busy count; d.mu is held.
func (d *Dispatcher) addBusy(n int) {
	if d.busy == 0 && n > 0 {
		d.idle = make(chan struct{})
	}
	d.busy += n
	if d.busy == 0 {
		close(d.idle)
	}
}

func (d *Dispatcher) loop() {
	defer d.wg.Done()
	for {
		batch := d.next()
		if batch == nil {
			select {
			case <-d.wake:
				continue
			case <-d.stopCh:
				return
			}
		}
		d.mu.Lock()
		chaos := d.chaos
		var extra []call
		for _, x := range batch {
			if chaos.Duplicate > 0 && d.rnd.Float64() < chaos.Duplicate {
				dup := x
				dup.duplicate = true
				extra = append(extra, dup)
			}
		}
		delays := make([]time.Duration, len(batch)+len(extra))
		for i := range delays {
			if chaos.Delay > 0 {
				delays[i] = time.Duration(d.rnd.Int64N(int64(chaos.Delay)))
			}
		}
		d.addBusy(len(extra))
		d.mu.Unlock()
		for i, x := range append(batch, extra...) {
			switch {
			case delays[i] == 0 && cap(d.slots) == 1:
				d.send(x)
			case delays[i] == 0:
				d.slots <- struct{}{}
				d.wg.Go(func() {
					d.send(x)
					<-d.slots
				})
			default:
				d.wg.Go(func() {
					select {
					case <-time.After(delays[i]):
						d.send(x)
					case <-d.stopCh:
						d.done(x, Delivery{Err: "simulator stopped"})
					}
				})
			}
		}
	}
}

// next takes the next group to send: one call, or with Reorder a group of
// up to that many (waiting a moment for it to fill), reversed. It returns
// nil when nothing may be sent.
func (d *Dispatcher) next() []call {
	d.mu.Lock()
	reorder := d.chaos.Reorder
	if d.held || len(d.queue) == 0 {
		d.mu.Unlock()
		return nil
	}
	if reorder > 1 && len(d.queue) < reorder {
		d.mu.Unlock()
		select {
		case <-time.After(reorderWindow):
		case <-d.stopCh:
		}
		d.mu.Lock()
	}
	n := 1
	if reorder > 1 {
		n = min(reorder, len(d.queue))
	}
	batch := slices.Clone(d.queue[:n])
	d.queue = slices.Delete(d.queue, 0, n)
	d.mu.Unlock()
	slices.Reverse(batch)
	return batch
}

// send makes the call, again while Retry says so, and records the outcome.
// A call that is no longer Active is not made.
func (d *Dispatcher) send(x call) {
	rec := Delivery{Started: time.Now()}
	if d.cfg.Active != nil && !d.cfg.Active(x.Hook) {
		rec.Err = "the webhook is deactivated"
		d.done(x, rec)
		return
	}
	for {
		rec.Attempts++
		status, body, err := d.attempt(x, rec.Attempts)
		rec.Status, rec.Body, rec.Err = status, body, ""
		if err != nil {
			rec.Err = err.Error()
		}
		if d.cfg.Retry == nil || rec.OK() {
			break
		}
		wait, again := d.cfg.Retry(rec.Attempts, status, err)
		if !again {
			break
		}
		select {
		case <-time.After(wait):
			continue
		case <-d.stopCh:
		}
		break
	}
	d.done(x, rec)
}

// attempt makes one HTTP call and returns the answer's status and body.
func (d *Dispatcher) attempt(x call, n int) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(d.ctx, d.cfg.Timeout)
	defer cancel()
	req, err := x.Request(ctx, n)
	if err != nil {
		return 0, nil, err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, body, nil
}

// done tells Done and records a call's outcome.
func (d *Dispatcher) done(x call, rec Delivery) {
	rec.EventID, rec.EventType, rec.ObjectID, rec.URL, rec.Duplicate = x.EventID, x.EventType, x.ObjectID, x.URL, x.duplicate
	if d.cfg.Done != nil {
		d.cfg.Done(x.Hook, rec)
	}
	rec.Body = nil
	d.mu.Lock()
	d.log = append(d.log, rec)
	d.addBusy(-1)
	d.mu.Unlock()
}

// Stop ends the dispatcher: calls in flight are cut, nothing more is sent.
func (d *Dispatcher) Stop() {
	select {
	case <-d.stopCh:
		return
	default:
	}
	close(d.stopCh)
	d.cancel()
	d.wg.Wait()
}

// SetChaos sets the chaos switches.
func (d *Dispatcher) SetChaos(c Chaos) {
	d.mu.Lock()
	d.chaos = c
	d.mu.Unlock()
}

// Chaos returns the chaos switches.
func (d *Dispatcher) Chaos() Chaos {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.chaos
}

// Deliveries returns every call made so far, in the order they ended.
func (d *Dispatcher) Deliveries() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.log)
}

// WaitDeliveries waits until no call is queued, being sent or delayed (held
// calls count as queued), or ctx ends.
func (d *Dispatcher) WaitDeliveries(ctx context.Context) error {
	for {
		d.mu.Lock()
		idle := d.idle
		d.mu.Unlock()
		select {
		case <-idle:
			d.mu.Lock()
			busy := d.busy
			d.mu.Unlock()
			if busy == 0 {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Hold keeps calls queued until Release: a delivery pipeline that is late,
// for as long as a test needs.
func (d *Dispatcher) Hold() {
	d.mu.Lock()
	d.held = true
	d.mu.Unlock()
}

// Release sends what was held, through the chaos switches.
func (d *Dispatcher) Release() {
	d.mu.Lock()
	d.held = false
	d.mu.Unlock()
	d.poke()
}

// Held reports whether calls are held.
func (d *Dispatcher) Held() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.held
}

// Backoff is a DispatcherConfig.Retry that makes a call that failed (no
// 2xx answer) again until it was made attempts times in all, waiting first
// before the first retry, then twice as long each time up to most: how a
// messaging platform retries a webhook its endpoint did not take.
func Backoff(first, most time.Duration, attempts int) func(attempt, status int, err error) (time.Duration, bool) {
	return func(attempt, _ int, _ error) (time.Duration, bool) {
		wait := first
		for range attempt - 1 {
			wait = min(wait*2, most)
		}
		return min(wait, most), attempt < attempts
	}
}
