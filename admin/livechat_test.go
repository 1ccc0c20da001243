package admin_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/livechat"
	"switchboard/livechat/gorgias/gorgiassim"
)

type livechatView struct {
	Settings   livechat.Settings `json:"settings"`
	Defaults   map[string]any    `json:"defaults"`
	Platforms  []string          `json:"platforms"`
	ReceiveURL string            `json:"receive_url"`
}

func TestLivechatSettingsAreCheckedAndSecretsWriteOnly(t *testing.T) {
	sim, err := gorgiassim.Start("127.0.0.1:0", gorgiassim.Config{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	f := newFixture(t)
	c := f.script()
	var v livechatView
	c.must("GET", "/v1/admin/bots/livechat-demo/livechat", nil, http.StatusOK, &v)
	if v.Defaults["timeout"] != "30m0s" || v.Defaults["end_button_label"] != livechat.DefaultEndButtonLabel || !slices.Contains(v.Platforms, "desk") || !slices.Contains(v.Platforms, "gorgias") {
		t.Fatalf("settings before any save: %+v", v)
	}

	// Every setting, with bad values: each refusal names its field.
	for _, bad := range []struct {
		body map[string]any
		says string
	}{
		{map[string]any{"timeout": "abc"}, "timeout"},
		{map[string]any{"timeout": "10s"}, "timeout"},
		{map[string]any{"open_timeout": []int{1}}, "open_timeout"},
		{map[string]any{"platform": "slack"}, "platform"},
		{map[string]any{"transcript_length": -1}, "transcript_length"},
		{map[string]any{"on_agent_close": "maybe"}, "on_agent_close"},
		{map[string]any{"end_message": strings.Repeat("x", 3000)}, "end_message"},
		{map[string]any{"colour": "blue"}, "colour"},
		{map[string]any{"platform": "gorgias"}, "gorgias"},
		{map[string]any{"platform": "gorgias", "gorgias": map[string]string{"domain": sim.URL, "username": "x@example.com"}}, "api_key"},
		{map[string]any{"platform": "chatwoot"}, "chatwoot settings"},
		{map[string]any{"platform": "gorgias", "gorgias": map[string]string{"domain": strings.Replace(sim.URL, "://", "://ops:hunter2@", 1), "username": gorgiassim.DefaultUser.Email, "api_key": gorgiassim.DefaultUser.APIKey}}, "gorgias.domain carries a user name or password"},
	} {
		if msg := c.fails("PUT", "/v1/admin/bots/livechat-demo/livechat", bad.body, "", http.StatusBadRequest); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q, want it to name %s", bad.body, msg, bad.says)
		}
	}
	// Credentials are tried against the platform on save.
	wrong := map[string]any{"platform": "gorgias", "gorgias": map[string]string{"domain": sim.URL, "username": gorgiassim.DefaultUser.Email, "api_key": "not-the-key"}}
	if msg := c.fails("PUT", "/v1/admin/bots/livechat-demo/livechat", wrong, "", http.StatusBadRequest); !strings.Contains(msg, "refused") {
		t.Errorf("wrong credentials: %q", msg)
	}

	// Every setting, good.
	good := map[string]any{
		"platform": "gorgias", "timeout": "5m", "end_message": "Done?", "end_button_label": "Yes, done",
		"connecting_message": "", "transcript_length": 5, "close_on_end": false, "on_agent_close": "ignore", "open_timeout": 90,
		"gorgias": map[string]string{"domain": sim.URL, "username": gorgiassim.DefaultUser.Email, "api_key": gorgiassim.DefaultUser.APIKey},
	}
	c.must("PUT", "/v1/admin/bots/livechat-demo/livechat", good, http.StatusOK, &v)
	s := v.Settings
	if s.Platform != "gorgias" || time.Duration(s.Timeout) != 5*time.Minute || s.EndMessage != "Done?" || s.EndButtonLabel != "Yes, done" ||
		s.ConnectingMessage == nil || *s.ConnectingMessage != "" || *s.TranscriptLength != 5 || *s.CloseOnEnd || s.OnAgentClose != "ignore" ||
		time.Duration(s.OpenTimeout) != 90*time.Second {
		t.Fatalf("saved settings: %+v", s)
	}
	// Secrets come back masked, never in clear; the URL to paste carries the token.
	if s.Gorgias.APIKey != livechat.Mask || s.Token != livechat.Mask || !strings.HasPrefix(v.ReceiveURL, f.base+"/v1/livechat/gorgias/receive?") {
		t.Fatalf("secrets or URL: key %q token %q url %q", s.Gorgias.APIKey, s.Token, v.ReceiveURL)
	}
	// Sending the mask back (as the page does) keeps the stored key.
	good["gorgias"] = map[string]string{"domain": sim.URL, "username": gorgiassim.DefaultUser.Email, "api_key": livechat.Mask}
	good["timeout"] = "45m"
	c.must("PUT", "/v1/admin/bots/livechat-demo/livechat", good, http.StatusOK, &v)
	if time.Duration(v.Settings.Timeout) != 45*time.Minute {
		t.Fatalf("timeout after the second save: %v", v.Settings.Timeout)
	}
	// The key never shows in an answer or a log line.
	for _, ex := range recorder.Exchanges() {
		if strings.Contains(string(ex.ResponseBody), gorgiassim.DefaultUser.APIKey) {
			t.Errorf("%s %s answered the API key", ex.Method, ex.Path)
		}
	}
	if strings.Contains(f.logs.String(), gorgiassim.DefaultUser.APIKey) {
		t.Error("the API key is in the logs")
	}
	// An unknown bot has no settings.
	c.fails("GET", "/v1/admin/bots/nope/livechat", nil, "", http.StatusNotFound)
	c.fails("PUT", "/v1/admin/bots/nope/livechat", map[string]any{}, "", http.StatusNotFound)
}
