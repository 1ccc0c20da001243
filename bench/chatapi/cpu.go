package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// The load tool shares the machine with the server and, on a shared machine,
// with whatever else runs. cpuSample reads, from Linux's /proc, the CPU time
// the whole machine, the server and this tool have used, so that each phase
// can say how much CPU went elsewhere: a phase that competed with other work
// is not a measure of switchboard.
type cpuSample struct {
	busy, total  float64 // machine-wide, in clock ticks
	server, self float64 // in clock ticks
	ok           bool
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

func sampleCPU(serverPID int) cpuSample {
	var s cpuSample
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return s
	}
	for i, f := range fields[1:] {
		v, _ := strconv.ParseFloat(f, 64)
		s.total += v
		if i != 3 && i != 4 { // idle, iowait
			s.busy += v
		}
	}
	if serverPID > 0 {
		s.server = procTicks(fmt.Sprintf("/proc/%d/stat", serverPID))
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9 * clockTicks
	}
	s.ok = true
	return s
}

// procTicks reads utime + stime of a process.
func procTicks(path string) float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(data), ") ") // after the command name
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return u + s
}

// cpuShare describes what the machine's CPU did between two samples: the
// server's, this tool's, and everything else's share of the total, and the
// server's CPU time per request of the n done.
func cpuShare(a, b cpuSample, n int64) string {
	total := b.total - a.total
	if !a.ok || !b.ok || total <= 0 {
		return ""
	}
	pct := func(v float64) float64 { return 100 * v / total }
	server, self := b.server-a.server, b.self-a.self
	others := (b.busy - a.busy) - server - self
	out := fmt.Sprintf("cpu: server %.0f%% load tool %.0f%% others %.0f%%", pct(server), pct(self), pct(max(others, 0)))
	if server > 0 && n > 0 {
		out += fmt.Sprintf(" (server %.0f µs/turn)", server/clockTicks/float64(n)*1e6)
	}
	return out
}
