//go:build linux || darwin

package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"testing"
)

// The start raises a low open file limit to the hard limit, and logs it.
func TestRaiseFileLimitLogs(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil || old.Max <= 1024 {
		t.Skipf("no file limit to raise here: %v %+v", err, old)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
	low := old
	low.Cur = 1024 // as many systems start a process
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	raiseFileLimit(slog.New(slog.NewTextHandler(&buf, nil)))
	var now syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &now); err != nil || now.Cur != old.Max {
		t.Errorf("the limit is %d, want the hard limit %d (%v)", now.Cur, old.Max, err)
	}
	if want := fmt.Sprintf("open file limit\" limit=%d", old.Max); !strings.Contains(buf.String(), want) {
		t.Errorf("logged %q, want %q", buf.String(), want)
	}
}
