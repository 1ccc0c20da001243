package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard"
	"switchboard/app"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestChatwootFailureReachesTheBotAsAReason has Chatwoot refuse the access
// token when a session opens. The demo bot shows the user a text written
// for them, never the driver's error; the reason and the detail are on the
// session's page of the administration and in the metrics.
func TestChatwootFailureReachesTheBotAsAReason(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	c.say("hello")
	c.sim.FailNext(http.StatusUnauthorized, 1)
	r := c.click(switchboard.PayloadSessionStart, "Talk to a human")
	c.waitFor("the session to fail", func() bool { return c.session(r.Session.ID).EndReason == switchboard.EndError })
	c.settle()
	if want := "Sorry, I could not reach an agent. " + livechat.ReasonBadCredentials.CustomerText(); !c.botSaid(want) {
		t.Errorf("the bot did not say %q", want)
	}
	for _, m := range c.history() {
		if text := describe(m); strings.Contains(text, "chatwoot") || strings.Contains(text, "401") {
			t.Errorf("the user was shown the driver's error: %q", text)
		}
	}

	get := func(path string) []byte {
		t.Helper()
		token, err := os.ReadFile(filepath.Join(c.srv.cfg.DataDir, app.AdminTokenFile))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, c.srv.app.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return body
	}
	var page struct {
		Session struct {
			Error       string `json:"error"`
			ErrorReason string `json:"error_reason"`
		} `json:"session"`
	}
	if err := json.Unmarshal(get("/v1/admin/sessions/"+r.Session.ID), &page); err != nil {
		t.Fatal(err)
	}
	if page.Session.ErrorReason != "bad_credentials" || !strings.HasPrefix(page.Session.Error, "bad_credentials: chatwoot: ") || !strings.Contains(page.Session.Error, "401") {
		t.Errorf("the administration shows %+v, want the reason and the detail", page.Session)
	}
	if m := string(get("/metrics")); !strings.Contains(m, `switchboard_sessions_failed_total{platform="chatwoot",reason="bad_credentials"} 1`) {
		t.Error("no failed session counted by reason in /metrics")
	}
}
