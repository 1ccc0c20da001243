package admin_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// zipFlows zips a CSML Studio export of n flows, f0 to f<n-1>.
func zipFlows(t *testing.T, n int, flow func(i int) string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var list []string
	for i := range n {
		list = append(list, fmt.Sprintf(`{"name": "f%d"}`, i))
	}
	files := [][2]string{{"bot/bot.json", fmt.Sprintf(`{"id": "big", "flows": [%s]}`, strings.Join(list, ","))}}
	for i := range n {
		files = append(files, [2]string{fmt.Sprintf("bot/flows/f%d.csml", i), flow(i)})
	}
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err == nil {
			_, err = w.Write([]byte(f[1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// heapPeak runs f and answers by how much the heap grew at most meanwhile,
// sampled every few milliseconds, and how much freed memory the process
// kept from the system after it.
func heapPeak(f func()) (peak, kept uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, top := m.HeapAlloc, m.HeapAlloc
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapAlloc)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	runtime.ReadMemStats(&m)
	return top - base, m.HeapIdle - m.HeapReleased
}

// The upload of the security review: a zip of 300 flows that unpack to far
// more than the zip (4 MiB each there, compressed 1,000 times). It took the
// server from 0.5 to 8 GiB; it is refused before anything is unpacked, and
// the error names the limit and what to do.
func TestImportOf300FlowsIsRefused(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	flows := zipFlows(t, 300, func(i int) string {
		return fmt.Sprintf("start:\n  say \"flow %d\"\n", i) + strings.Repeat("  say \"hello there\"\n", 70<<10/20)
	})
	var msg string
	peak, _ := heapPeak(func() {
		msg = c.fails("POST", "/v1/admin/bots/validate", flows, "application/zip", http.StatusRequestEntityTooLarge)
	})
	if !strings.Contains(msg, "bot/flows/f0.csml unzips to") || !strings.Contains(msg, "(max_ratio)") || !strings.Contains(msg, "raise the limit (bot_import") {
		t.Errorf("validate: %q", msg)
	}
	if msg := c.fails("POST", "/v1/admin/bots", flows, "application/zip", http.StatusRequestEntityTooLarge); !strings.Contains(msg, "(max_ratio)") {
		t.Errorf("import: %q", msg)
	}
	if peak > 32<<20 {
		t.Errorf("refusing the upload took %d MiB", peak>>20)
	}
	c.fails("GET", "/v1/admin/bots/big", nil, "", http.StatusNotFound)
}

// A bot within the size limits can still have a problem every few bytes:
// each was kept with an excerpt of its line, hundreds of times the source's
// size. Its validation answers a bounded list, in bounded memory, and gives
// the memory back to the system after.
func TestValidateBoundsMemory(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	c.http.Timeout = time.Minute                                                        // compiling under the race detector on a busy machine
	steps := zipFlows(t, 10, func(int) string { return strings.Repeat("a:\n", 10000) }) // 300 KB of the same step
	var v struct {
		Valid bool `json:"valid"`
		Bot   struct {
			Diagnostics []struct{ Message string } `json:"diagnostics"`
		} `json:"bot"`
	}
	var res *http.Response
	var data []byte
	peak, kept := heapPeak(func() { res, data = c.do("POST", "/v1/admin/bots/validate", steps, "application/zip") })
	if res.StatusCode != http.StatusOK || json.Unmarshal(data, &v) != nil || len(v.Bot.Diagnostics) == 0 {
		t.Fatalf("validate → %d %.300s", res.StatusCode, data)
	}
	if n := len(v.Bot.Diagnostics); n > 1001 || !strings.Contains(v.Bot.Diagnostics[n-1].Message, "more problems are not listed") {
		t.Errorf("%d diagnostics (%d bytes), the last %+v", n, len(data), v.Bot.Diagnostics[n-1])
	}
	t.Logf("validating 300 KB of CSML: heap peak +%d MiB, %d MiB kept from the system after", peak>>20, kept>>20)
	if peak > 64<<20 {
		t.Errorf("validating 300 KB of CSML took %d MiB", peak>>20)
	}
	if kept > 16<<20 {
		t.Errorf("after the validation, the process keeps %d MiB it does not use", kept>>20)
	}
}
