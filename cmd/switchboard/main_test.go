package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/internal/syncbuf"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// startCmd runs a command that keeps running (serve, a simulator) in the
// background and returns what it prints; stop (also run when the test ends)
// stops it, and fails the test if it exited with an error.
func startCmd(t *testing.T, args ...string) (out *syncbuf.Buffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, stdio{out: out, err: io.Discard}) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("%s exited with %d", strings.Join(args, " "), code)
			}
		})
	}
	t.Cleanup(stop)
	return out, stop
}

func TestUsage(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 || !strings.Contains(out, "demo") || !strings.Contains(out, "serve") {
		t.Fatalf("help: %d %q", code, out)
	}
	code, _, errOut := runCmd(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "serve", "--no-such-flag")
	if code != 2 || !strings.Contains(errOut, "flag provided but not defined") {
		t.Fatalf("bad flag: %d %q", code, errOut)
	}
}

func TestServeRefusesABotWithBrokenCSML(t *testing.T) {
	code, _, errOut := runCmd(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--bot", "testdata/broken-bot")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, errOut)
	}
	for _, want := range []string{`bot "Broken bot" has`, "flow Default, line", "column"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestServeRefusesBadSettings(t *testing.T) {
	code, _, errOut := runCmd(t, "serve", "--data", t.TempDir(), "--bot", "../../examples/livechat", "--livechat-timeout", "5s")
	if code != 1 || !strings.Contains(errOut, "livechat timeout 5s is out of range") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCmd(t, "serve", "--data", t.TempDir(), "--callback-allow", "127.0.0.1:9000,localhost")
	if code != 1 || !strings.Contains(errOut, `callback_allow: "localhost" is not an address range`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-host", "smtp.example.com", "--smtp-tls", "ssl"}, `smtp.account: tls "ssl" is unknown`},
		{[]string{"--smtp-host", "smtp.example.com", "--smtp-username", "bot"}, "smtp.account: give both username and password"},
		{[]string{"--smtp-allow", "localhost"}, `smtp.allow: "localhost" is not an address range`},
	} {
		code, _, errOut = runCmd(t, append([]string{"serve", "--data", t.TempDir()}, tc.args...)...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
	}
	cfg := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(cfg, []byte(`{"adr": "x"}`), 0o600)
	code, _, errOut = runCmd(t, "serve", "--config", cfg)
	if code != 1 || !strings.Contains(errOut, `unknown field "adr"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestDemoPrintsWhatANewcomerNeeds starts the demo twice on the same data:
// both times it prints a chat page that serves, the desk, and a login that works.
func TestDemoPrintsWhatANewcomerNeeds(t *testing.T) {
	data := t.TempDir()
	var logins []string
	for i := 0; i < 2; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		var out syncbuf.Buffer
		done := make(chan int)
		go func() {
			done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", data}, stdio{out: &out, err: io.Discard})
		}()
		var chat, login string
		deadline := time.Now().Add(10 * time.Second)
		for chat == "" || login == "" {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("demo printed:\n%s", out.String())
			}
			time.Sleep(20 * time.Millisecond)
			sc := bufio.NewScanner(strings.NewReader(out.String()))
			for sc.Scan() {
				if m := regexp.MustCompile(`Chat page \(Livechat demo\):\s+(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
					chat = m[1]
				}
				if m := regexp.MustCompile(`Agent login:\s+(\S+ / \S+)`).FindStringSubmatch(sc.Text()); m != nil {
					login = m[1]
				}
			}
		}
		resp, err := http.Get(chat)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("chat page %s: %v %v", chat, err, resp)
		}
		resp.Body.Close()
		email, password, _ := strings.Cut(login, " / ")
		base := strings.SplitN(chat, "/chat/", 2)[0]
		req, _ := http.NewRequest("POST", base+"/desk/api/login", strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("desk login with the printed credentials: %v %v", err, resp)
		}
		resp.Body.Close()
		logins = append(logins, login)
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("demo exited with %d", code)
		}
	}
	if logins[0] != logins[1] {
		t.Fatalf("the second start printed another login: %q vs %q", logins[0], logins[1])
	}
}
