package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/internal/loosefolder"
	"switchboard/internal/syncbuf"
)

// TestDemoFilesAreOwnerOnly: in a 0755 data folder under umask 022, every
// file the demo writes is 0600 (the database holds password hashes,
// demo-agent.json a password in clear), and a demo-agent.json others can
// read is refused, as admin.token is: the demo says why instead of the
// login.
func TestDemoFilesAreOwnerOnly(t *testing.T) {
	data := loosefolder.New(t)
	demo := func() (int, string, string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out, errb syncbuf.Buffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", data}, stdio{out: &out, err: &errb})
		}()
		deadline := time.After(10 * time.Second)
		for !strings.Contains(out.String(), "Agent login:") {
			select {
			case code := <-done:
				return code, out.String(), errb.String()
			case <-deadline:
				t.Fatalf("demo printed:\n%s\n%s", out.String(), errb.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		return <-done, out.String(), errb.String()
	}
	if code, _, stderr := demo(); code != 0 {
		t.Fatalf("demo exited with %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want -rw-------", e.Name(), info.Mode().Perm())
		}
	}
	login := filepath.Join(data, demoLoginFile)
	if err := os.Chmod(login, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := demo()
	if !strings.Contains(stdout, "Agent login: unavailable") || !strings.Contains(stdout, "chmod 600") {
		t.Errorf("with a 0644 %s the demo printed:\n%s\nwant the login refused, saying chmod 600", demoLoginFile, stdout)
	}
}
