package sqlite_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"switchboard"
	"switchboard/store/sqlite"
)

// The durability test runs its writer as a child process under strace, which
// records the system calls that matter: the WAL's writes and fsyncs, and the
// child's acknowledgements, each written to a file of its own right after the
// Update that wrote a marker returned.
const (
	durableDirEnv  = "SWITCHBOARD_TEST_DURABLE_DIR"
	durableSyncEnv = "SWITCHBOARD_TEST_DURABLE_SYNC"
	durableWriters = 8
	durableUpdates = 12 // each writer's
)

// TestAnAcknowledgedUpdateIsOnDisk proves the default durability: when an
// Update returns, what it wrote is in the WAL file and the WAL file has been
// fsynced since, even when concurrent Updates share one commit. It checks the
// checker too: with synchronous=NORMAL, some Update returns before any fsync
// of its writes.
func TestAnAcknowledgedUpdateIsOnDisk(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("SWITCHBOARD_STRACE") == "require" {
			t.Fatal("strace is not installed, and SWITCHBOARD_STRACE=require (CI): apt-get install strace")
		}
		t.Skip("strace is not installed: it observes the fsyncs")
	}
	for _, c := range []struct {
		sync    string
		durable bool
	}{{"", true}, {"NORMAL", false}} {
		dir := t.TempDir()
		log := filepath.Join(dir, "strace.log")
		cmd := exec.Command(strace, "-f", "-qq", "-s", "70000", "-o", log,
			"-e", "trace=open,openat,close,pwrite64,write,fsync,fdatasync",
			os.Args[0], "-test.run=^TestDurableWriterChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), durableDirEnv+"="+dir, durableSyncEnv+"="+c.sync)
		if out, err := cmd.CombinedOutput(); err != nil {
			if strings.Contains(string(out), "ptrace") {
				t.Skipf("strace cannot trace here: %s", out)
			}
			t.Fatalf("the writer under strace: %v\n%s", err, out)
		}
		acked, early, err := checkDurable(log)
		if err != nil {
			t.Fatal(err)
		}
		if acked != durableWriters*durableUpdates {
			t.Fatalf("synchronous=%q: %d acknowledgements in the trace, want %d", c.sync, acked, durableWriters*durableUpdates)
		}
		if c.durable && len(early) > 0 {
			t.Errorf("default synchronous: %d of %d Updates returned before their writes were fsynced, the first: %s", len(early), acked, early[0])
		}
		if !c.durable && len(early) == 0 {
			t.Errorf("synchronous=NORMAL: every Update was fsynced before it returned; the check cannot tell durable from not")
		}
	}
}

// TestDurableWriterChild is the child of TestAnAcknowledgedUpdateIsOnDisk:
// concurrent Updates, each acknowledged in the acks file once it returned.
func TestDurableWriterChild(t *testing.T) {
	dir := os.Getenv(durableDirEnv)
	if dir == "" {
		t.Skip("run by TestAnAcknowledgedUpdateIsOnDisk")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "switchboard.db"), sqlite.Options{Synchronous: os.Getenv(durableSyncEnv)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acks, err := os.Create(filepath.Join(dir, "acks"))
	if err != nil {
		t.Fatal(err)
	}
	defer acks.Close()
	var wg sync.WaitGroup
	for w := range durableWriters {
		wg.Go(func() {
			for i := range durableUpdates {
				marker := fmt.Sprintf("durable-marker-%03d-%03d", w, i)
				err := db.Update(ctx, func(tx switchboard.Tx) error {
					return tx.PutSetting(ctx, marker, json.RawMessage(`"`+marker+`"`))
				})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := acks.WriteString("ack " + marker + "\n"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

var (
	straceCall    = regexp.MustCompile(`^(\d+) +(\w+)\((.*)$`)
	straceResumed = regexp.MustCompile(`^(\d+) +<\.\.\. \w+ resumed>(.*)$`)
	straceResult  = regexp.MustCompile(`\) += (-?\d+)`)
	straceMarker  = regexp.MustCompile(`durable-marker-\d{3}-\d{3}`)
)

// checkDurable reads the strace log and returns how many acknowledgements it
// holds and those that came before an fsync of the WAL had completed after
// their marker was first written to it.
func checkDurable(path string) (acked int, early []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	type file struct {
		wal, acks bool
	}
	files := map[string]file{}     // by fd
	written := map[string]int{}    // marker → the line of its first WAL write
	synced := 0                    // the line where the last WAL fsync returned
	pending := map[string]string{} // pid → the start of an unfinished call
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		text := sc.Text()
		var name, call string
		if m := straceResumed.FindStringSubmatch(text); m != nil {
			start, ok := pending[m[1]]
			delete(pending, m[1])
			if !ok || start == "" { // unknown, or a write already counted
				continue
			}
			n := straceCall.FindStringSubmatch(start)
			name, call = n[2], n[3]+m[2]
		} else if m := straceCall.FindStringSubmatch(text); m != nil {
			if strings.HasSuffix(text, "<unfinished ...>") {
				if m[2] != "write" {
					pending[m[1]] = strings.TrimSuffix(text, "<unfinished ...>")
					continue
				}
				// A write counts from when it started: an acknowledgement
				// is told there, and a WAL write's marker is there.
				pending[m[1]] = ""
				name, call = m[2], m[3]
			} else {
				name, call = m[2], m[3]
			}
		} else {
			continue
		}
		fd := strings.TrimSpace(call[:strings.IndexAny(call+")", ",)")])
		switch name {
		case "open", "openat":
			r := straceResult.FindStringSubmatch(call)
			if r == nil {
				continue
			}
			files[r[1]] = file{wal: strings.Contains(call, `-wal"`), acks: strings.Contains(call, `/acks"`)}
		case "close":
			delete(files, fd)
		case "pwrite64", "write":
			switch {
			case files[fd].wal:
				// The first write of a marker is its Update's commit; later
				// ones rewrite its page for later Updates.
				for _, m := range straceMarker.FindAllString(call, -1) {
					if _, ok := written[m]; !ok {
						written[m] = line
					}
				}
			case files[fd].acks && name == "write":
				m := straceMarker.FindString(call)
				if m == "" {
					continue
				}
				acked++
				if w, ok := written[m]; !ok || synced < w {
					early = append(early, m)
				}
			}
		case "fsync", "fdatasync":
			if r := straceResult.FindStringSubmatch(call); files[fd].wal && r != nil && r[1] == "0" {
				synced = line
			}
		}
	}
	return acked, early, sc.Err()
}
