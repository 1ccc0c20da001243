package loadtest

import (
	"testing"
	"time"
)

func TestPercentilesByNearestRank(t *testing.T) {
	var l Latencies
	for i := 100; i >= 1; i-- {
		l.Add(time.Duration(i) * time.Millisecond)
	}
	s := l.Summary()
	if s.N != 100 || s.P50 != 50*time.Millisecond || s.P90 != 90*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Fatalf("%+v", s)
	}
	if (&Latencies{}).Summary() != (Summary{}) {
		t.Fatal("empty summary")
	}
}
