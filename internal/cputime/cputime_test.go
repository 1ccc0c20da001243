package cputime_test

import (
	"runtime"
	"testing"
	"time"

	"switchboard/internal/cputime"
)

func TestSelfGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("not measured on this system")
	}
	before := cputime.Self()
	deadline := time.Now().Add(50 * time.Millisecond)
	n := 0
	for time.Now().Before(deadline) {
		n++
	}
	if after := cputime.Self(); after <= before {
		t.Errorf("CPU time did not grow over 50 ms of busy work (%d loops): %v then %v", n, before, after)
	}
}
