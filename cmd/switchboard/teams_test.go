package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestTeamsSimPrintsWhatToPaste starts the simulator as a user would: the
// console page serves, and the printed credentials get a bot token.
func TestTeamsSimPrintsWhatToPaste(t *testing.T) {
	out, stop := startCmd(t, "dev", "teams-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	appID := waitOutput(t, out, regexp.MustCompile(`App ID:\s+(\S+)`))
	password := waitOutput(t, out, regexp.MustCompile(`App password:\s+(\S+)`))
	tokenURL := waitOutput(t, out, regexp.MustCompile(`Token URL:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console page: %v %v", err, resp)
	}
	resp.Body.Close()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {appID}, "client_secret": {password}, "scope": {"https://api.botframework.com/.default"}}
	resp, err = http.PostForm(tokenURL, form)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the printed credentials: %v %v", err, resp)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), `"token_url":"`+tokenURL+`"`) {
		t.Errorf("no channel to paste in:\n%s", out.String())
	}
	stop()
}
