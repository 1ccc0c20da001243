package whatsappsim

import (
	"time"

	"switchboard/internal/simkit"
)

// switches are the simulator's own chaos switches (the dispatcher and the
// API faults hold the shared ones).
type switches struct {
	batch, reorderStatuses, badSignatures, unsigned bool
	// manualRead keeps sent messages delivered until CustomerRead.
	manualRead bool
	// statusDelay is added to Config.StatusDelay: late statuses.
	statusDelay time.Duration
	throughput  int
	pairLimit   int
	pairWindow  time.Duration
}

func (sw switches) autoRead() bool { return !sw.manualRead }

// Chaos are the delivery switches shared with the other simulators
// (duplicated, reordered, delayed deliveries).
type Chaos = simkit.Chaos

// SetChaos sets the delivery switches.
func (s *Sim) SetChaos(c Chaos) { s.dispatch.SetChaos(c) }

// SetDuplicates posts every webhook call twice (on), as Meta's
// at-least-once delivery may.
func (s *Sim) SetDuplicates(on bool) {
	c := s.dispatch.Chaos()
	c.Duplicate = 0
	if on {
		c.Duplicate = 1
	}
	s.dispatch.SetChaos(c)
}

// SetBatch gathers the events of each BatchWindow into one POST (several
// messages, their contacts and statuses), as Meta may.
func (s *Sim) SetBatch(on bool) { s.set(func(sw *switches) { sw.batch = on }) }

// SetReorderStatuses posts a message's statuses newest first (read, then
// delivered, then sent).
func (s *Sim) SetReorderStatuses(on bool) { s.set(func(sw *switches) { sw.reorderStatuses = on }) }

// SetLateStatuses holds each message's statuses back d longer.
func (s *Sim) SetLateStatuses(d time.Duration) { s.set(func(sw *switches) { sw.statusDelay = d }) }

// SetAutoRead makes customers read every message as soon as it is
// delivered (on, the default) or only on CustomerRead.
func (s *Sim) SetAutoRead(on bool) { s.set(func(sw *switches) { sw.manualRead = !on }) }

// SetBadSignatures signs the webhook calls made from now on with a wrong
// secret (a forger's).
func (s *Sim) SetBadSignatures(on bool) { s.set(func(sw *switches) { sw.badSignatures = on }) }

// SetUnsigned posts the webhook calls made from now on with no
// X-Hub-Signature-256 header.
func (s *Sim) SetUnsigned(on bool) { s.set(func(sw *switches) { sw.unsigned = on }) }

// SetThroughputLimit refuses messages beyond n a second (0: no limit) with
// error 130429, as Meta's per-number throughput does (80 a second by
// default).
func (s *Sim) SetThroughputLimit(n int) { s.set(func(sw *switches) { sw.throughput = n }) }

// SetPairRateLimit refuses messages to one customer beyond n within per
// (0: no limit) with error 131056, Meta's pair rate limit (about one every
// 6 seconds, sustained).
func (s *Sim) SetPairRateLimit(n int, per time.Duration) {
	s.set(func(sw *switches) { sw.pairLimit, sw.pairWindow = n, per })
}

// SetOutage answers every Graph API request 503, error code 2, while on
// (webhooks go on).
func (s *Sim) SetOutage(on bool) { s.faults.SetOutage(on) }

// SetLatency slows every Graph API answer down by d.
func (s *Sim) SetLatency(d time.Duration) { s.faults.SetLatency(d) }

// FailNext answers the next n Graph API requests with status (error code
// 131000, "Something went wrong").
func (s *Sim) FailNext(status, n int) { s.faults.FailNext(status, n) }

// FailAfterApply does the next n writes (a message is sent) and then
// answers 502, as when the answer is lost: a driver's retry sends twice.
func (s *Sim) FailAfterApply(n int) { s.faults.FailAfterApply(n) }

// HoldWebhooks keeps webhook calls queued until ReleaseWebhooks: Meta's
// delivery running late, for as long as a test needs.
func (s *Sim) HoldWebhooks() { s.dispatch.Hold() }

// ReleaseWebhooks posts the held calls, through the chaos switches.
func (s *Sim) ReleaseWebhooks() { s.dispatch.Release() }

// CloseWindow ends waID's customer service window now, as if the customer
// last wrote more than 24 hours ago.
func (s *Sim) CloseWindow(waID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[waID]; c != nil {
		c.lastInbound = time.Time{}
		s.notify()
	}
}

func (s *Sim) set(f func(*switches)) {
	s.mu.Lock()
	f(&s.sw)
	s.mu.Unlock()
}
