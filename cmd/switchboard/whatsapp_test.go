package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestWhatsAppSimPrintsWhatToPaste starts the simulator as a user would,
// with the webhook of a receiver that comes up: the handshake passes, the
// phone page serves, and the printed token opens the Graph API.
func TestWhatsAppSimPrintsWhatToPaste(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("hub.verify_token") == "my-verify" {
			io.WriteString(w, r.URL.Query().Get("hub.challenge"))
			return
		}
		w.WriteHeader(http.StatusForbidden)
	}))
	defer hook.Close()
	out, stop := startCmd(t, "dev", "whatsapp-sim", "--addr", "127.0.0.1:0", "--verify-token", "my-verify", "--webhook", hook.URL+"/v1/channels/7/webhook")
	base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
	token := waitOutput(t, out, regexp.MustCompile(`Access token:\s+(\S+)`))
	pnid := waitOutput(t, out, regexp.MustCompile(`Phone number ID:\s+(\S+)`))
	waitOutput(t, out, regexp.MustCompile(`(Webhook verified)`))
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("phone page: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("POST", base+"/v21.0/"+pnid+"/messages", strings.NewReader(`{"messaging_product":"whatsapp","to":"16315551181","text":{"body":"hi"}}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the printed token and phone number id: %v %v", err, resp)
	}
	resp.Body.Close()
	if !strings.Contains(out.String(), `"api_base":"`+base+`"`) {
		t.Errorf("no channel to paste in:\n%s", out.String())
	}
	stop()
}
