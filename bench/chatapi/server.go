package main

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
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// benchBot answers every message with one message: the cost of a turn is
// the platform's, not the bot's.
const benchBot = `{"id": "bench", "name": "Bench", "default_flow": "Default",
  "flows": [{"name": "Default", "commands": [], "content": "start:\n  say \"You said {{event}}\"\n  hold\n  goto start\n"}]}`

// server is a switchboard binary running on a temporary data folder.
type server struct {
	cmd  *exec.Cmd
	dir  string
	url  string
	key  string
	logs bytes.Buffer
}

// startServer starts the binary with the bench bot and makes an API channel.
func startServer(ctx context.Context, binary string) (*server, error) {
	dir, err := os.MkdirTemp("", "switchboard-chatapi-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	botFile := filepath.Join(dir, "bench-bot.json")
	if err := os.WriteFile(botFile, []byte(benchBot), 0o600); err != nil {
		s.stop()
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		s.stop()
		return nil, err
	}
	token := randomToken()
	s.url = "http://" + addr
	s.cmd = exec.Command(binary, "serve", "--data", filepath.Join(dir, "data"), "--addr", addr, "--bot", botFile, "--log-level", "warn")
	s.cmd.Env = append(os.Environ(), "SWITCHBOARD_ADMIN_TOKEN="+token)
	s.cmd.Stdout, s.cmd.Stderr = &s.logs, &s.logs
	if err := s.cmd.Start(); err != nil {
		s.stop()
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	if s.key, err = s.apiChannel(token); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls /healthz until the server answers.
func (s *server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if res, err := http.Get(s.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the server did not start:\n%s", s.logs.String())
}

// apiChannel adds an API channel to the bench bot and returns its key.
func (s *server) apiChannel(token string) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/admin/channels", bytes.NewReader([]byte(`{"bot_id": "bench", "type": "api"}`)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var out struct {
		Channel struct {
			APIKey string `json:"api_key"`
		} `json:"channel"`
	}
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &out) != nil {
		return "", fmt.Errorf("create an API channel: %d %s", res.StatusCode, body)
	}
	return out.Channel.APIKey, nil
}

// stop interrupts the server, as Ctrl+C does, and removes its data.
func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGINT)
		_ = s.cmd.Wait()
	}
	os.RemoveAll(s.dir)
}

// startTrivial serves, on loopback, a handler that reads the request and
// answers a small JSON body: what HTTP alone costs.
func startTrivial() (*httptest.Server, error) {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"request_id":"x","messages":[{"payload":{"content_type":"text","content":{"text":"You said hello"}}}]}`))
	})), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
