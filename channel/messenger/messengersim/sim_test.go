package messengersim_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard/channel/messenger/messengersim"
)

// call POSTs a Send API request as a driver would, and returns the status
// and the error envelope's fields.
func call(t *testing.T, sim *messengersim.Sim, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, sim.URL()+"/v21.0/"+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if e, ok := out["error"].(map[string]any); ok {
		return resp.StatusCode, e
	}
	return resp.StatusCode, out
}

// TestSendAPIAnswersAsMeta: the Send API refuses what Meta refuses, with
// Meta's codes in the Graph error envelope.
func TestSendAPIAnswersAsMeta(t *testing.T) {
	for _, instagram := range []bool{false, true} {
		sim := messengersim.New(messengersim.Config{Instagram: instagram})
		if err := sim.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sim.Close)
		tok := sim.Config().PageAccessToken
		_, _ = sim.UserText("61", "Ada", "hi")
		_, _ = sim.UserText("62", "Bob", "hi")
		sim.Block("62", true)
		qr := func(n int) string {
			var qs []string
			for range n {
				qs = append(qs, `{"content_type":"text","title":"Yes","payload":"Y"}`)
			}
			return `[` + strings.Join(qs, ",") + `]`
		}
		cases := []struct {
			name, token, body string
			code, subcode     int
		}{
			{"BadToken", "nope", `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"hi"}}`, 190, 0},
			{"UnknownUser", tok, `{"recipient":{"id":"404"},"messaging_type":"RESPONSE","message":{"text":"hi"}}`, 100, 2018001},
			{"Blocked", tok, `{"recipient":{"id":"62"},"messaging_type":"RESPONSE","message":{"text":"hi"}}`, 551, 1545041},
			{"LongText", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"` + strings.Repeat("a", 2001) + `"}}`, 100, 0},
			{"FourteenQuickReplies", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"hi","quick_replies":` + qr(14) + `}}`, 100, 0},
			{"FourButtons", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"template","payload":{"template_type":"button","text":"hi","buttons":[{"type":"postback","title":"a","payload":"a"},{"type":"postback","title":"b","payload":"b"},{"type":"postback","title":"c","payload":"c"},{"type":"postback","title":"d","payload":"d"}]}}}}`, 100, 0},
			{"ActionNotAlone", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","sender_action":"typing_on"}`, 100, 0},
			{"NoMessagingType", tok, `{"recipient":{"id":"61"},"message":{"text":"hi"}}`, 100, 0},
		}
		if instagram {
			cases = append(cases, struct {
				name, token, body string
				code, subcode     int
			}{"ThousandBytes", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"` + strings.Repeat("é", 501) + `"}}`, 100, 0})
		}
		for _, c := range cases {
			status, e := call(t, sim, "me/messages", c.token, c.body)
			if status != http.StatusBadRequest || e["code"] != float64(c.code) || c.subcode != 0 && e["error_subcode"] != float64(c.subcode) || e["fbtrace_id"] == nil || e["message"] == "" {
				t.Errorf("instagram=%v %s: %d %v, want code %d/%d", instagram, c.name, status, e, c.code, c.subcode)
			}
		}
		if status, a := call(t, sim, "me/messages", tok, `{"recipient":{"id":"61"},"sender_action":"typing_on"}`); status != http.StatusOK || a["recipient_id"] != "61" {
			t.Errorf("instagram=%v a typing indicator: %d %v", instagram, status, a)
		}
		sim.CloseWindow("61")
		if status, e := call(t, sim, "me/messages", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"late"}}`); status != http.StatusBadRequest || e["code"] != float64(10) || e["error_subcode"] != float64(2018278) {
			t.Errorf("instagram=%v a message after 24 hours: %d %v, want 10/2018278", instagram, status, e)
		}
		if status, e := call(t, sim, "me/messages", tok, `{"recipient":{"id":"61"},"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE","message":{"text":"late"}}`); instagram && (status != http.StatusBadRequest || e["code"] != float64(100)) {
			t.Errorf("a tag other than HUMAN_AGENT on Instagram: %d %v, want 100", status, e)
		}
	}
}

// TestOutage: while the API is down every request is answered 503 with
// Meta's transient error 2, before the token is looked at; then sends
// work again.
func TestOutage(t *testing.T) {
	sim := messengersim.New(messengersim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	_, _ = sim.UserText("61", "Ada", "hi")
	body := `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"hi"}}`
	// Turned on as the console does.
	res, err := http.Post(sim.URL()+"/_sim/outage", "application/json", strings.NewReader(`{"on":true}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("POST /_sim/outage: %v %v", res, err)
	}
	res.Body.Close()
	for _, tok := range []string{sim.Config().PageAccessToken, "nope"} {
		if status, e := call(t, sim, "me/messages", tok, body); status != http.StatusServiceUnavailable || e["code"] != float64(2) {
			t.Errorf("during the outage: %d %v, want 503 code 2", status, e)
		}
	}
	sim.SetOutage(false)
	if status, a := call(t, sim, "me/messages", sim.Config().PageAccessToken, body); status != http.StatusOK || a["message_id"] == nil {
		t.Errorf("after the outage: %d %v", status, a)
	}
}

// TestHandover: the app takes a thread and releases it; the inbox takes
// it and the app may then neither send nor release.
func TestHandover(t *testing.T) {
	sim := messengersim.New(messengersim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	tok, app := sim.Config().PageAccessToken, sim.Config().AppID
	_, _ = sim.UserText("61", "Ada", "hi")
	if status, a := call(t, sim, "me/take_thread_control", tok, `{"recipient":{"id":"61"},"metadata":"livechat"}`); status != http.StatusOK || a["success"] != true || sim.Owner("61") != app {
		t.Fatalf("take: %d %v, owner %q", status, a, sim.Owner("61"))
	}
	if status, _ := call(t, sim, "me/release_thread_control", tok, `{"recipient":{"id":"61"}}`); status != http.StatusOK || sim.Owner("61") != "" {
		t.Fatalf("release: %d, owner %q", status, sim.Owner("61"))
	}
	sim.InboxTake("61")
	if status, e := call(t, sim, "me/release_thread_control", tok, `{"recipient":{"id":"61"}}`); status != http.StatusBadRequest || e["code"] != float64(10) {
		t.Errorf("release a thread the inbox holds: %d %v", status, e)
	}
	if status, e := call(t, sim, "me/messages", tok, `{"recipient":{"id":"61"},"messaging_type":"RESPONSE","message":{"text":"hi"}}`); status != http.StatusBadRequest || e["code"] != float64(10) {
		t.Errorf("send to a thread the inbox holds: %d %v", status, e)
	}
}
