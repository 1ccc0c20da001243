package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestSlackSimPrintsWhatToGive starts the simulator as a user would and
// uses what it prints: the console serves, and the token opens the Web
// API.
func TestSlackSimPrintsWhatToGive(t *testing.T) {
	out, stop := startCmd(t, "dev", "slack-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	api := waitOutput(t, out, regexp.MustCompile(`api_base:\s+(\S+)`))
	token := waitOutput(t, out, regexp.MustCompile(`Bot token:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPost, api+"/auth.test", bytes.NewReader([]byte(`{}`)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("auth.test with the printed token: %v %v", err, resp)
	}
	var who struct {
		OK     bool   `json:"ok"`
		UserID string `json:"user_id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&who)
	resp.Body.Close()
	if !who.OK || who.UserID == "" {
		t.Fatalf("auth.test: %+v", who)
	}
	if !strings.Contains(out.String(), `"api_base":"`+api+`"`) {
		t.Errorf("no channel to paste in:\n%s", out.String())
	}
	stop()
}
