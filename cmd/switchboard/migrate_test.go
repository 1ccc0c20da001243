package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/internal/syncbuf"
	"switchboard/store/postgres/pgtest"
)

// migrateTwice runs `switchboard migrate` on a fresh store twice: the first
// run upgrades it from version 0, the second finds nothing to do.
func migrateTwice(t *testing.T, where ...string) {
	t.Helper()
	code, out, errOut := runCmd(t, append([]string{"migrate"}, where...)...)
	if code != 0 || !regexp.MustCompile(`schema migrated from version 0 to [1-9]`).MatchString(out) {
		t.Fatalf("first migrate: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, append([]string{"migrate"}, where...)...)
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: exit %d\n%s%s", code, out, errOut)
	}
}

func TestMigrateUpgradesSQLiteOnce(t *testing.T) {
	migrateTwice(t, "--data", t.TempDir())
}

func TestMigrateUpgradesPostgresOnce(t *testing.T) {
	migrateTwice(t, "--database", pgtest.Schema(t))
}

func TestMigrateRefusesADatabaseThatIsNotPostgres(t *testing.T) {
	code, _, errOut := runCmd(t, "migrate", "--database", "mysql://db.example.com/x")
	if code != 1 || !strings.Contains(errOut, "postgres://") {
		t.Errorf("migrate --database mysql://...: exit %d, %s", code, errOut)
	}
}

func TestServeOnPostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	t.Setenv("SWITCHBOARD_DATABASE", dsn)
	code, out, errOut := runCmd(t, "agent", "add", "--email", "ann@example.com", "--name", "Ann", "--data", t.TempDir())
	if code != 0 || !strings.Contains(out, "can sign in") {
		t.Fatalf("agent add on PostgreSQL: exit %d\n%s%s", code, out, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout syncbuf.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--bot", "../../examples/livechat"},
			stdio{out: &stdout, err: io.Discard})
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed:\n%s", stdout.String())
		}
		if m := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
	}
	for path, want := range map[string]string{"/readyz": `"ready"`, "/metrics": "switchboard_store_up 1"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, want %s in\n%.300s", path, resp.StatusCode, want, body)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d", code)
	}
}
