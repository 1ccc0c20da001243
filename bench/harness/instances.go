package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"switchboard/bench/internal/loadtest"
)

// instance is one switchboard process, started as users start it.
type instance struct {
	Num  int
	Addr string
	URL  string
	args []string
	env  []string
	log  string // its log file: standard output and error, appended across restarts

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// cluster is the switchboard processes of a run, sharing their database,
// their secret keys and their admin token (docs/scaling.md).
type cluster struct {
	binary     string
	instances  []*instance
	AdminToken string
	// EngineKey is a key of the CSML engine API, which reads a channel
	// customer's history (channelclient.go).
	EngineKey string
}

// newCluster prepares n instances on free loopback ports: on SQLite in
// dataDir (one instance), or on the PostgreSQL database dsn. Their Chat API
// callbacks may reach callbackAddr (host:port), the harness's own
// receiver on loopback, which the server refuses unless allowed.
func newCluster(binary, out string, n int, dsn, publicURL, callbackAddr string) (*cluster, error) {
	c := &cluster{binary: binary, AdminToken: loadtest.RandomKey(), EngineKey: loadtest.RandomKey()}
	env := append(os.Environ(), "SWITCHBOARD_SECRET_KEYS="+loadtest.RandomKey(), "SWITCHBOARD_ADMIN_TOKEN="+c.AdminToken,
		"SWITCHBOARD_ENGINE_API_KEYS="+c.EngineKey)
	for i := 1; i <= n; i++ {
		addr, err := loadtest.FreeAddr()
		if err != nil {
			return nil, err
		}
		data := filepath.Join(out, fmt.Sprintf("instance-%d", i))
		// Every simulated client comes from this machine's one address:
		// no connection limit (docs/security.md).
		args := []string{"serve", "--addr", addr, "--data", data, "--public-url", publicURL, "--log-format", "json",
			"--callback-allow", callbackAddr, "--max-conns", "-1", "--max-conns-per-addr", "-1"}
		if dsn != "" {
			args = append(args, "--database", dsn)
		}
		c.instances = append(c.instances, &instance{Num: i, Addr: addr, URL: "http://" + addr, args: args, env: env,
			log: filepath.Join(out, fmt.Sprintf("instance-%d.log", i))})
	}
	return c, nil
}

// startAll starts every instance and waits until each is ready.
func (c *cluster) startAll(ctx context.Context) error {
	for _, in := range c.instances {
		if err := c.start(in); err != nil {
			return err
		}
	}
	for _, in := range c.instances {
		if err := in.waitReady(ctx, time.Minute); err != nil {
			return err
		}
	}
	return nil
}

// start starts an instance's process, with the same arguments every time.
func (c *cluster) start(in *instance) error {
	f, err := os.OpenFile(in.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("instance %d log: %w", in.Num, err)
	}
	cmd := exec.Command(c.binary, in.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = in.env, f, f
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start instance %d: %w", in.Num, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(done)
	}()
	in.mu.Lock()
	in.cmd, in.done = cmd, done
	in.mu.Unlock()
	return nil
}

// kill kills an instance with SIGKILL, as `kill -9` does, and waits for it
// to be gone.
func (c *cluster) kill(in *instance) error {
	in.mu.Lock()
	cmd, done := in.cmd, in.done
	in.mu.Unlock()
	if cmd == nil {
		return fmt.Errorf("instance %d is not running", in.Num)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill instance %d: %w", in.Num, err)
	}
	<-done
	return nil
}

// stopAll stops every instance as Ctrl+C does, killing those still there
// after 20 seconds (the server gives work in flight 15).
func (c *cluster) stopAll() {
	var wg sync.WaitGroup
	for _, in := range c.instances {
		in.mu.Lock()
		cmd, done := in.cmd, in.done
		in.mu.Unlock()
		if cmd == nil {
			continue
		}
		wg.Go(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		})
	}
	wg.Wait()
}

// pids are the process ids of the instances running now.
func (c *cluster) pids() []int {
	var out []int
	for _, in := range c.instances {
		in.mu.Lock()
		if in.cmd != nil {
			select {
			case <-in.done:
			default:
				out = append(out, in.cmd.Process.Pid)
			}
		}
		in.mu.Unlock()
	}
	return out
}

// waitReady polls the instance's /readyz until it answers 200.
func (in *instance) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		in.mu.Lock()
		done := in.done
		in.mu.Unlock()
		select {
		case <-done:
			return fmt.Errorf("instance %d exited while starting: see %s", in.Num, in.log)
		default:
		}
		if res, err := client.Get(in.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("instance %d not ready after %s: see %s", in.Num, limit, in.log)
}
