package loadtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The load tools share the machine with the server and, on a shared machine,
// with whatever else runs. CPUSample reads, from Linux's /proc, the CPU time
// the whole machine, the server, its PostgreSQL backends and this tool have
// used, so that each phase can say how much CPU went elsewhere: a phase that
// competed with other work is not a measure of switchboard.
type CPUSample struct {
	busy, total  float64 // machine-wide, in clock ticks
	server, self float64 // in clock ticks
	db           map[int]float64
	ok           bool
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

// Probe says whose CPU time to read besides the machine's and this
// process's.
type Probe struct {
	// ServerPID is the server's process (0: the server runs in this one).
	ServerPID int
	// Schema, when set, is the server's PostgreSQL schema: the backends
	// serving it, and the PostgreSQL server's own processes (the WAL
	// writer, the checkpointer...), count as the database's CPU, not
	// others'.
	Schema *Schema
}

// Sample reads the CPU time used so far.
func (p Probe) Sample() CPUSample {
	s := SampleCPU(p.ServerPID)
	if p.Schema != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if pids, err := p.Schema.Backends(ctx); err == nil {
			s.db = map[int]float64{}
			for _, pid := range append(pids, postgresWorkers()...) {
				s.db[pid] = procTicks(fmt.Sprintf("/proc/%d/stat", pid))
			}
		}
	}
	return s
}

// SampleCPU reads the CPU time used so far by the machine, by the server
// process serverPID (0: none, the server runs in this process) and by this
// process.
func SampleCPU(serverPID int) CPUSample {
	var s CPUSample
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

// postgresWorkers returns the PostgreSQL server's own processes (the
// postmaster, the WAL writer, the checkpointer, autovacuum...), which work
// for every client: the backends serving clients are named after their
// client ("postgres: 15/main: user db 127.0.0.1(5432) idle") and are left
// out.
func postgresWorkers() []int {
	dirs, _ := os.ReadDir("/proc")
	var out []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err == nil && !strings.Contains(string(cmd), "(") {
			out = append(out, pid)
		}
	}
	return out
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

// CPUUse is what the machine's CPU did between two samples, in percent of
// the whole machine (all cores): the server's, its database's, this tool's,
// and everything else's share.
type CPUUse struct {
	OK                             bool
	Server, Database, Tool, Others float64 // percent of the machine
	// ServerSeconds is the CPU time the server used; ToolSeconds this
	// process's (the load tool, and the server when it runs in it);
	// DatabaseSeconds its PostgreSQL's.
	ServerSeconds, ToolSeconds, DatabaseSeconds float64
	hasDB                                       bool
}

// CPUBetween compares two samples.
func CPUBetween(a, b CPUSample) CPUUse {
	total := b.total - a.total
	if !a.ok || !b.ok || total <= 0 {
		return CPUUse{}
	}
	pct := func(v float64) float64 { return 100 * v / total }
	server, self := b.server-a.server, b.self-a.self
	db := 0.0
	for pid, t := range b.db { // a backend that started meanwhile counts whole
		db += t - a.db[pid]
	}
	others := (b.busy - a.busy) - server - self - db
	return CPUUse{OK: true, Server: pct(server), Database: pct(db), Tool: pct(self), Others: pct(max(others, 0)),
		ServerSeconds: server / clockTicks, ToolSeconds: self / clockTicks, DatabaseSeconds: db / clockTicks, hasDB: b.db != nil}
}

// String reads "cpu: server 54% load tool 19% others 0%" (with the
// database's share after the server's when there is one), or "" without
// figures.
func (u CPUUse) String() string {
	if !u.OK {
		return ""
	}
	return fmt.Sprintf("cpu: server %.0f%%%s load tool %.0f%% others %.0f%%", u.Server, u.db(), u.Tool, u.Others)
}

// InProcess reads "cpu: server and load tool 60% others 3%", for a server
// run in the tool's process.
func (u CPUUse) InProcess() string {
	if !u.OK {
		return ""
	}
	return fmt.Sprintf("cpu: server and load tool %.0f%%%s others %.0f%%", u.Server+u.Tool, u.db(), u.Others)
}

func (u CPUUse) db() string {
	if !u.hasDB {
		return ""
	}
	return fmt.Sprintf(" PostgreSQL %.0f%%", u.Database)
}

// PerOp is the server's CPU time per operation of the n done, and its
// database's when it has one, or "".
func (u CPUUse) PerOp(n int64, op string) string {
	if !u.OK || u.ServerSeconds <= 0 || n <= 0 {
		return ""
	}
	if u.hasDB {
		return fmt.Sprintf("(server %.0f µs/%s, PostgreSQL %.0f µs/%s)", u.ServerSeconds/float64(n)*1e6, op, u.DatabaseSeconds/float64(n)*1e6, op)
	}
	return fmt.Sprintf("(server %.0f µs/%s)", u.ServerSeconds/float64(n)*1e6, op)
}
