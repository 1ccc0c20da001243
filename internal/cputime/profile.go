package cputime

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// Profile writes a CPU profile of this process to the file at path, for go
// tool pprof, until stop is called: how the benchmarks find where the time
// goes (the server's --cpu-profile, bench/relay's -cpuprofile).
func Profile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
