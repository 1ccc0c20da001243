package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"switchboard/internal/syncbuf"
)

// EchoBot answers every message with one message: the cost of a turn is the
// platform's, not the bot's. Its id is "bench".
const EchoBot = `{"id": "bench", "name": "Bench", "default_flow": "Default",
  "flows": [{"name": "Default", "commands": [], "content": "start:\n  say \"You said {{event}}\"\n  hold\n  goto start\n"}]}`

// EchoBotID is the id of EchoBot.
const EchoBotID = "bench"

// Binary is the switchboard binary running as users run it (`switchboard
// serve`) with EchoBot, on a temporary data folder and, with a database URL,
// on a fresh PostgreSQL schema; loopback only.
type Binary struct {
	// URL is the server's base URL; AdminToken its admin API token.
	URL, AdminToken string
	cmd             *exec.Cmd
	dir             string
	schema          *Schema
	logs            syncbuf.Buffer
}

// BinaryOptions say how to start the binary.
type BinaryOptions struct {
	// Path is the binary (go build -o /tmp/switchboard ./cmd/switchboard).
	Path string
	// Database, when set, is a PostgreSQL URL: the server runs on a fresh
	// schema of it, dropped by Stop. Empty means SQLite in the data folder.
	Database string
	// Args are added to `switchboard serve`'s flags.
	Args []string
}

// StartBinary starts the binary and waits until it answers /healthz.
func StartBinary(ctx context.Context, o BinaryOptions) (*Binary, error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-")
	if err != nil {
		return nil, err
	}
	b := &Binary{dir: dir, AdminToken: RandomKey()}
	botFile := filepath.Join(dir, "bench-bot.json")
	if err := os.WriteFile(botFile, []byte(EchoBot), 0o600); err != nil {
		b.Stop()
		return nil, err
	}
	// No Chat API throttle: the load is all on one API channel, far beyond
	// the default 50 requests a second.
	configFile := filepath.Join(dir, "config.json")
	if err := os.WriteFile(configFile, []byte(`{"chat_api_rate": -1}`), 0o600); err != nil {
		b.Stop()
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		b.Stop()
		return nil, err
	}
	b.URL = "http://" + addr
	// Every simulated client comes from this machine's one address: no
	// connection limit (docs/security.md).
	args := []string{"serve", "--config", configFile, "--data", filepath.Join(dir, "data"), "--addr", addr, "--bot", botFile, "--log-level", "warn",
		"--max-conns", "-1", "--max-conns-per-addr", "-1"}
	if o.Database != "" {
		if b.schema, err = NewSchema(ctx, o.Database); err != nil {
			b.Stop()
			return nil, err
		}
		args = append(args, "--database", b.schema.URL)
	}
	b.cmd = exec.Command(o.Path, append(args, o.Args...)...)
	b.cmd.Env = append(os.Environ(), "SWITCHBOARD_ADMIN_TOKEN="+b.AdminToken)
	b.cmd.Stdout, b.cmd.Stderr = &b.logs, &b.logs
	if err := b.cmd.Start(); err != nil {
		b.Stop()
		return nil, fmt.Errorf("start %s: %w", o.Path, err)
	}
	if err := b.waitReady(ctx); err != nil {
		b.Stop()
		return nil, err
	}
	return b, nil
}

// PID is the server's process id.
func (b *Binary) PID() int { return b.cmd.Process.Pid }

// Probe samples the CPU of the server's process and of its database.
func (b *Binary) Probe() Probe { return Probe{ServerPID: b.PID(), Schema: b.schema} }

// Logs is what the server wrote so far.
func (b *Binary) Logs() string { return b.logs.String() }

// waitReady polls /healthz until the server answers.
func (b *Binary) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if res, err := http.Get(b.URL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the server did not start:\n%s", b.Logs())
}

// Admin calls the admin API and decodes its JSON answer into out.
func (b *Binary) Admin(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+b.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if err := decodeOK(res, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// APIChannel adds an API channel to EchoBot and returns its key.
func (b *Binary) APIChannel() (string, error) {
	var out struct {
		Channel struct {
			APIKey string `json:"api_key"`
		} `json:"channel"`
	}
	if err := b.Admin(http.MethodPost, "/v1/admin/channels", map[string]string{"bot_id": EchoBotID, "type": "api"}, &out); err != nil {
		return "", fmt.Errorf("create an API channel: %w", err)
	}
	return out.Channel.APIKey, nil
}

// WebappChannel returns the id of EchoBot's chat page channel, which the
// server made at start.
func (b *Binary) WebappChannel() (string, error) {
	var out struct {
		Channels []struct{ ID, Type string }
	}
	if err := b.Admin(http.MethodGet, "/v1/admin/channels?bot_id="+EchoBotID, nil, &out); err != nil {
		return "", err
	}
	for _, c := range out.Channels {
		if c.Type == "webapp" {
			return c.ID, nil
		}
	}
	return "", fmt.Errorf("the bench bot has no chat page channel")
}

// Stop interrupts the server, as Ctrl+C does, and removes its data (and its
// schema).
func (b *Binary) Stop() {
	if b.cmd != nil && b.cmd.Process != nil {
		_ = b.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = b.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = b.cmd.Process.Kill()
			<-done
		}
	}
	if b.schema != nil {
		if err := b.schema.Drop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.RemoveAll(b.dir)
}

// FreeAddr returns a loopback address nobody listens on now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// RandomKey is 32 random bytes in base64: a sealing key, or a token.
func RandomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.StdEncoding.EncodeToString(b)
}
