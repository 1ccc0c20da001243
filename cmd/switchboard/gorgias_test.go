package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/internal/syncbuf"
	"switchboard/livechat/gorgias/gorgiassim"
)

// waitOutput waits until the output matches re and returns the first group.
func waitOutput(t *testing.T, out *syncbuf.Buffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in:\n%s", re, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestGorgiasSimPrintsWhatToPaste starts the simulator as a user would and
// uses what it prints: the console serves, and the credentials open the API.
func TestGorgiasSimPrintsWhatToPaste(t *testing.T) {
	out, stop := startCmd(t, "dev", "gorgias-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	user := waitOutput(t, out, regexp.MustCompile(`Username:\s+(\S+)`))
	key := waitOutput(t, out, regexp.MustCompile(`API key:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/account", nil)
	req.SetBasicAuth(user, key)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the printed credentials: %v %v", err, resp)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), `"domain":"`+base+`"`) {
		t.Errorf("no settings to paste in:\n%s", out.String())
	}
	stop()
}

// TestLivechatURLOfAGorgiasBot configures a bot for Gorgias through the
// configuration file, then prints the URL to paste: CSML Studio's, on our
// host, with the bot's token, the same every time.
func TestLivechatURLOfAGorgiasBot(t *testing.T) {
	sim, err := gorgiassim.Start("", gorgiassim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	data := t.TempDir()
	bot, _ := filepath.Abs("../../examples/livechat")
	cfg, _ := json.Marshal(map[string]any{"bots": []any{map[string]any{"path": bot, "livechat": map[string]any{
		"platform": "gorgias",
		"gorgias":  map[string]string{"domain": sim.URL, "username": gorgiassim.DefaultUser.Email, "api_key": gorgiassim.DefaultUser.APIKey},
	}}}})
	cfgPath := filepath.Join(t.TempDir(), "switchboard.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stop := startCmd(t, "serve", "--config", cfgPath, "--data", data, "--addr", "127.0.0.1:0")
	waitOutput(t, out, regexp.MustCompile(`(listening on)`))
	stop()

	// The token first, the values anyone can write last, no text: a "#"
	// rendered unencoded into the URL cuts nothing switchboard needs.
	want := regexp.MustCompile(`^https://chat\.example\.com/v1/livechat/gorgias/receive\?token=[A-Za-z0-9_-]{20,}` +
		`&ticket_id=\{\{ticket\.id\}\}&event_type=\{\{event\.type\}\}&event_id=\{\{event\.id\}\}` +
		`&message_id=\{\{event\.object_id\}\}&from_agent=\{\{message\.from_agent\}\}&external_id=\{\{ticket\.external_id\}\}$`)
	var urls []string
	for range 2 {
		code, stdout, stderr := runCmd(t, "livechat", "url", "livechat-demo", "--data", data, "--public-url", "https://chat.example.com/")
		if code != 0 {
			t.Fatalf("livechat url: %d %s", code, stderr)
		}
		urls = append(urls, strings.TrimSpace(stdout))
	}
	if !want.MatchString(urls[0]) || urls[0] != urls[1] {
		t.Fatalf("livechat url printed %q then %q, want %s", urls[0], urls[1], want)
	}
}
