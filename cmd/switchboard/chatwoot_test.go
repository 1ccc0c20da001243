package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestChatwootSimPrintsWhatToPaste starts the simulator as a user would and
// uses what it prints: the console serves, and the token opens the API.
func TestChatwootSimPrintsWhatToPaste(t *testing.T) {
	out, stop := startCmd(t, "dev", "chatwoot-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	token := waitOutput(t, out, regexp.MustCompile(`Access token:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/v1/profile", nil)
	req.Header.Set("api_access_token", token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the printed token: %v %v", err, resp)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), `"url":"`+base+`"`) {
		t.Errorf("no settings to paste in:\n%s", out.String())
	}
	stop()
}

// TestLivechatURLOfAChatwootBot configures a bot for Chatwoot through the
// configuration file: the start makes the inbox, whose webhook is the URL
// `switchboard livechat url` prints, token included.
func TestLivechatURLOfAChatwootBot(t *testing.T) {
	sim, err := chatwootsim.Start("", chatwootsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	data := t.TempDir()
	bot, _ := filepath.Abs("../../examples/livechat")
	cfg, _ := json.Marshal(map[string]any{"public_url": "https://chat.example.com", "bots": []any{map[string]any{"path": bot, "livechat": map[string]any{
		"platform": "chatwoot", "chatwoot": map[string]string{"url": sim.URL, "access_token": chatwootsim.DefaultUser.Token},
	}}}})
	cfgPath := filepath.Join(t.TempDir(), "switchboard.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stop := startCmd(t, "serve", "--config", cfgPath, "--data", data, "--addr", "127.0.0.1:0")
	waitOutput(t, out, regexp.MustCompile(`(listening on)`))
	stop()
	code, stdout, stderr := runCmd(t, "livechat", "url", "livechat-demo", "--data", data, "--public-url", "https://chat.example.com/")
	if code != 0 {
		t.Fatalf("livechat url: %d %s", code, stderr)
	}
	url := strings.TrimSpace(stdout)
	inboxes := sim.Inboxes()
	if !strings.HasPrefix(url, "https://chat.example.com/v1/livechat/chatwoot/receive?token=") || len(inboxes) != 1 || inboxes[0].WebhookURL != url {
		t.Fatalf("livechat url printed %q; inboxes %+v", url, inboxes)
	}
}
