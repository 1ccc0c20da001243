package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestTwilioSimPrintsWhatToPaste starts the simulator as a user would: the
// console page serves, and the printed credentials send a text with the
// REST API.
func TestTwilioSimPrintsWhatToPaste(t *testing.T) {
	out, stop := startCmd(t, "dev", "twilio-sim", "--addr", "127.0.0.1:0")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	account := waitOutput(t, out, regexp.MustCompile(`Account SID:\s+(\S+)`))
	token := waitOutput(t, out, regexp.MustCompile(`Auth Token:\s+(\S+)`))
	number := waitOutput(t, out, regexp.MustCompile(`Number:\s+(\S+)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console page: %v %v", err, resp)
	}
	resp.Body.Close()
	form := url.Values{"To": {"+16315551181"}, "From": {number}, "Body": {"hi"}}
	req, _ := http.NewRequest("POST", base+"/2010-04-01/Accounts/"+account+"/Messages.json", strings.NewReader(form.Encode()))
	req.SetBasicAuth(account, token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("the printed credentials: %v %v", err, resp)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), `"api_base":"`+base+`"`) {
		t.Errorf("no channel to paste in:\n%s", out.String())
	}
	stop()
}
