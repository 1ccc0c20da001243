package loadtest

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Memory is a process's memory as Linux counts it, in bytes.
type Memory struct {
	RSS uint64 // VmRSS: resident now
	HWM uint64 // VmHWM: the peak resident
}

// ProcMemory reads a process's memory from /proc/PID/status.
func ProcMemory(pid int) (Memory, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	return parseStatus(string(data))
}

// parseStatus reads VmRSS and VmHWM ("VmRSS:	  123456 kB") of a
// /proc/PID/status.
func parseStatus(status string) (Memory, error) {
	var m Memory
	var found int
	for line := range strings.Lines(status) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return Memory{}, fmt.Errorf("/proc status: %s is %q", name, strings.TrimSpace(value))
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("/proc status: %s: %w", name, err)
		}
		if name == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.HWM = kb << 10
		}
		found++
	}
	if found != 2 {
		return Memory{}, fmt.Errorf("/proc status: no VmRSS and VmHWM")
	}
	return m, nil
}

// Scrape reads the values of unlabelled metrics (go_goroutines,
// go_memstats_heap_inuse_bytes, ...) from a Prometheus /metrics page.
func Scrape(url string) (map[string]float64, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if name, v, ok := parseSample(sc.Text()); ok {
			out[name] = v
		}
	}
	return out, sc.Err()
}

// parseSample reads a line "name value" of the Prometheus text format;
// comments and labelled samples are skipped.
func parseSample(line string) (string, float64, bool) {
	f := strings.Fields(line)
	if len(f) < 2 || strings.HasPrefix(f[0], "#") || strings.ContainsRune(f[0], '{') {
		return "", 0, false
	}
	v, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		return "", 0, false
	}
	return f[0], v, true
}

// RaiseFileLimit raises this process's soft limit of open files to its hard
// limit (the Go runtime does it at start on Linux; doing it again says what
// the limit is) and fails when it is below need.
func RaiseFileLimit(need uint64) (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	if l.Cur < need {
		return l.Cur, fmt.Errorf("this tool may open %d files, it needs %d: raise the hard limit (ulimit -Hn, or LimitNOFILE)", l.Cur, need)
	}
	return l.Cur, nil
}

// ProcFileLimit reads the soft limit of open files of a process, from
// /proc/PID/limits.
func ProcFileLimit(pid int) (uint64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	if err != nil {
		return 0, err
	}
	return parseFileLimit(string(data))
}

// parseFileLimit reads the soft limit of the "Max open files" line of a
// /proc/PID/limits.
func parseFileLimit(limits string) (uint64, error) {
	for line := range strings.Lines(limits) {
		if rest, ok := strings.CutPrefix(line, "Max open files"); ok {
			f := strings.Fields(rest)
			if len(f) < 2 {
				break
			}
			if f[0] == "unlimited" {
				return ^uint64(0), nil
			}
			return strconv.ParseUint(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc limits: no \"Max open files\" line")
}

// MiB writes a size in mebibytes.
func MiB(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }
