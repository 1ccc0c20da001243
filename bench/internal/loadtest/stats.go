// Package loadtest holds what switchboard's load tools share: latency
// statistics; a server started in-process, or the switchboard binary
// started as a process, on a temporary data folder or a fresh PostgreSQL
// schema; chat pages, desk agents and the Chat API as clients; the bare
// loopback HTTP baseline; and, from Linux's /proc, where the CPU went and a
// process's memory.
package loadtest

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Latencies collects durations from many goroutines.
type Latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// Summary is the distribution of the recorded durations.
type Summary struct {
	N                        int
	P50, P90, P99, P999, Max time.Duration
}

// Summary sorts the durations and reads the percentiles (nearest rank).
func (l *Latencies) Summary() Summary {
	l.mu.Lock()
	d := slices.Clone(l.d)
	l.mu.Unlock()
	if len(d) == 0 {
		return Summary{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(d))+0.5) - 1
		return d[min(max(i, 0), len(d)-1)]
	}
	return Summary{N: len(d), P50: at(0.50), P90: at(0.90), P99: at(0.99), P999: at(0.999), Max: d[len(d)-1]}
}

func (s Summary) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	return fmt.Sprintf("n=%d p50=%s p90=%s p99=%s p99.9=%s max=%s", s.N, ms(s.P50), ms(s.P90), ms(s.P99), ms(s.P999), ms(s.Max))
}

// Merge adds the durations of o.
func (l *Latencies) Merge(o *Latencies) {
	o.mu.Lock()
	d := slices.Clone(o.d)
	o.mu.Unlock()
	l.mu.Lock()
	l.d = append(l.d, d...)
	l.mu.Unlock()
}
