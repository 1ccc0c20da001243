package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestTelegramSimPrintsWhatToGive starts the simulator as a user would and
// uses what it prints: the console serves, and the token opens the API.
func TestTelegramSimPrintsWhatToGive(t *testing.T) {
	out, stop := startCmd(t, "dev", "telegram-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	token := waitOutput(t, out, regexp.MustCompile(`Bot token:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	resp, err = http.Post(base+"/bot"+token+"/getMe", "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("getMe with the printed token: %v %v", err, resp)
	}
	var me struct {
		OK     bool `json:"ok"`
		Result struct {
			IsBot bool `json:"is_bot"`
		} `json:"result"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if !me.OK || !me.Result.IsBot {
		t.Fatalf("getMe: %+v", me)
	}
	if !strings.Contains(out.String(), `"api_base":"`+base+`"`) {
		t.Errorf("no channel body to give in:\n%s", out.String())
	}
	stop()
}
