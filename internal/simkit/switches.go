package simkit

import "time"

// Switches are every chaos switch of a simulator as its console and its
// control API read and set them.
type Switches struct {
	Duplicate float64 `json:"duplicate"`
	Reorder   int     `json:"reorder"`
	DelayMS   int     `json:"delay_ms"`
	Hold      bool    `json:"hold"`
	Outage    bool    `json:"outage"`
	LatencyMS int     `json:"latency_ms"`
	// Throttle answers the next n API requests 429 (Retry-After 2 s).
	Throttle int `json:"throttle"`
}

// ReadSwitches reads the switches of a dispatcher and an API.
func ReadSwitches(d *Dispatcher, f *Faults) Switches {
	c := d.Chaos()
	f.mu.Lock()
	defer f.mu.Unlock()
	return Switches{
		Duplicate: c.Duplicate, Reorder: c.Reorder, DelayMS: int(c.Delay / time.Millisecond), Hold: d.Held(),
		Outage: f.outage, LatencyMS: int(f.latency / time.Millisecond), Throttle: f.throttleLeft,
	}
}

// Apply sets every switch of a dispatcher and an API.
func (sw Switches) Apply(d *Dispatcher, f *Faults) {
	d.SetChaos(Chaos{Duplicate: sw.Duplicate, Reorder: sw.Reorder, Delay: time.Duration(sw.DelayMS) * time.Millisecond})
	f.SetOutage(sw.Outage)
	f.SetLatency(time.Duration(sw.LatencyMS) * time.Millisecond)
	f.Throttle(sw.Throttle, 2*time.Second)
	if sw.Hold {
		d.Hold()
	} else {
		d.Release()
	}
}
