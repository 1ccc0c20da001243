package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// cpuMeter says where the machine's CPU went while the load ran: to the
// instances, to PostgreSQL (every process named postgres: the server's
// other databases included), to the harness (its users, agents,
// simulators and balancer), and to everything else (other people's work on
// a shared machine), read from /proc. Where there is no /proc it measures
// nothing.
type cpuMeter struct {
	mu sync.Mutex
	// last is each process's CPU time at the last sample, by group.
	last        map[string]map[int]uint64
	busy, total uint64 // the machine's, at the last sample
	sum         map[string]uint64
	busySum     uint64
	totalSum    uint64
}

// CPU groups.
const (
	cpuInstances = "instances"
	cpuPostgres  = "postgres"
	cpuHarness   = "harness"
)

// sample adds what was used since the last sample; pids are the instances
// running now. A process that started since counts from its start; one
// that ended since loses its last interval.
func (m *cpuMeter) sample(pids []int) {
	busy, total, ok := machineTicks()
	if !ok {
		return
	}
	groups := map[string][]int{cpuInstances: pids, cpuPostgres: named("postgres"), cpuHarness: {os.Getpid()}}
	m.mu.Lock()
	defer m.mu.Unlock()
	first := m.last == nil
	if first {
		m.last, m.sum = map[string]map[int]uint64{}, map[string]uint64{}
	}
	for g, ps := range groups {
		now := map[int]uint64{}
		for _, pid := range ps {
			t, ok := procTicks(pid)
			if !ok {
				continue
			}
			now[pid] = t
			if !first && t >= m.last[g][pid] {
				m.sum[g] += t - m.last[g][pid]
			}
		}
		m.last[g] = now
	}
	if !first {
		m.busySum += busy - min(busy, m.busy)
		m.totalSum += total - min(total, m.total)
	}
	m.busy, m.total = busy, total
}

// String gives each share of the whole machine (every core).
func (m *cpuMeter) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.totalSum == 0 {
		return "not measured (no /proc)"
	}
	pct := func(n uint64) float64 { return 100 * float64(n) / float64(m.totalSum) }
	ours := m.sum[cpuInstances] + m.sum[cpuPostgres] + m.sum[cpuHarness]
	return fmt.Sprintf("instances %.0f%%, PostgreSQL %.0f%%, harness %.0f%%, others %.0f%%, idle %.0f%% of %d cores",
		pct(m.sum[cpuInstances]), pct(m.sum[cpuPostgres]), pct(m.sum[cpuHarness]), pct(m.busySum-min(m.busySum, ours)),
		100-pct(m.busySum), runtime.NumCPU())
}

// machineTicks reads the machine's busy and total CPU time.
func machineTicks() (busy, total uint64, ok bool) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0, false
	}
	var v [8]uint64 // user nice system idle iowait irq softirq steal
	for i := range v {
		v[i], _ = strconv.ParseUint(fields[i+1], 10, 64)
		total += v[i]
	}
	return total - v[3] - v[4], total, true
}

// procTicks reads a process's CPU time (user and system).
func procTicks(pid int) (uint64, bool) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command name (in parentheses): state is
	// field 3 of the whole line, utime 14 and stime 15.
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, false
	}
	utime, _ := strconv.ParseUint(fields[11], 10, 64)
	stime, _ := strconv.ParseUint(fields[12], 10, 64)
	return utime + stime, true
}

// named lists the processes whose command is name.
func named(name string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && strings.TrimSpace(string(comm)) == name {
			out = append(out, pid)
		}
	}
	return out
}
