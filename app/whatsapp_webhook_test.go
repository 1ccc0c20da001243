package app_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard"
)

// post sends a webhook body with a signature (none when sig is "").
func (g *waStory) post(body []byte, sig string) (int, string) {
	g.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, g.webhook, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// sign is Meta's signature of a body with the channel's app secret.
func sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// envelope is a delivery of one text message (id) or one status.
func envelope(messages, statuses string) []byte {
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Mallory"},"wa_id":"15550001111"}],"messages":[%s],"statuses":[%s]}}]}]}`, messages, statuses)
}

// counts are what a webhook may change: the messages stored and the jobs
// waiting.
func (g *waStory) counts() (messages, jobs int) {
	g.t.Helper()
	ctx := context.Background()
	_ = g.srv.app.Store.View(ctx, func(tx switchboard.Tx) error {
		ms, err := tx.MessagesAfter(ctx, switchboard.ClientKey{BotID: "livechat-demo", ChannelID: g.channelID, UserID: "15550001111"}, 0, 1000)
		messages = len(ms)
		return err
	})
	return messages, g.pendingJobs()
}

// TestWhatsAppWebhookRefusesWhatIsNotMetas: a forged signature, no
// signature, a wrong verify token are refused and change nothing; a
// replayed delivery and a status for a message never sent change nothing;
// a malformed body that is Meta's is answered 200 (else Meta retries it
// for days).
func TestWhatsAppWebhookRefusesWhatIsNotMetas(t *testing.T) {
	g := newWAStory(t, nil, nil)
	body := envelope(`{"from":"15550001111","id":"wamid.forged1","timestamp":"1796634000","type":"text","text":{"body":"hi"}}`, "")

	if status, _ := g.post(body, sign(body, "not-the-app-secret")); status != http.StatusUnauthorized {
		t.Errorf("a forged signature: %d, want 401", status)
	}
	if status, _ := g.post(body, ""); status != http.StatusUnauthorized {
		t.Errorf("no signature: %d, want 401", status)
	}
	g.settle()
	if m, j := g.counts(); m != 0 || j != 0 {
		t.Fatalf("refused deliveries left %d messages and %d jobs", m, j)
	}

	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"not-the-token"}, "hub.challenge": {"12345"}}
	resp, err := http.Get(g.webhook + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || strings.Contains(string(got), "12345") {
		t.Errorf("a wrong verify token: %d %s, want 403 without the challenge", resp.StatusCode, got)
	}

	// Signed deliveries: the first is taken, its replay is a duplicate.
	if status, answer := g.post(body, sign(body, "wa-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"queued":1`) {
		t.Fatalf("a signed delivery: %d %s", status, answer)
	}
	g.waitFor("the bot's answer to Mallory", func() bool { m, _ := g.counts(); return m >= 4 })
	g.settle()
	before, _ := g.counts()
	if status, answer := g.post(body, sign(body, "wa-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"duplicates":1`) {
		t.Errorf("a replayed delivery: %d %s", status, answer)
	}
	g.settle()
	if after, _ := g.counts(); after != before {
		t.Errorf("the replay changed the history: %d messages, then %d", before, after)
	}

	unknown := envelope("", `{"id":"wamid.never-sent","status":"read","timestamp":"1796634000","recipient_id":"15550001111"}`)
	if status, answer := g.post(unknown, sign(unknown, "wa-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"queued":0`) {
		t.Errorf("a status for an unknown message: %d %s, want 200 and nothing queued", status, answer)
	}
	g.settle()
	var rec *switchboard.Sent
	_ = g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		rec, err = tx.FindSent(context.Background(), g.channelID, "wamid.never-sent")
		return err
	})
	if rec != nil {
		t.Errorf("a status for an unknown message was recorded: %+v", rec)
	}

	for _, bad := range [][]byte{[]byte(`{"object":`), []byte(`{"object":"page","entry":[]}`)} {
		status, answer := g.post(bad, sign(bad, "wa-app-secret"))
		if status != http.StatusOK || !strings.Contains(answer, `"ignored"`) {
			t.Errorf("a malformed body %s: %d %s, want 200 ignored", bad, status, answer)
		}
	}
	if status, _ := g.post(bytes.Repeat([]byte("a"), 5<<20), "sha256=00"); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 MB body: %d, want 413", status)
	}
}

// TestWhatsAppMediaAndAdmin: a photo Jane sends reaches the
// agent as a link that serves the photo; the admin API shows the channel
// with its webhook URL and without secrets, and removes it.
func TestWhatsAppMediaAndAdmin(t *testing.T) {
	g := newWAStory(t, nil, nil)
	s := g.handOver()
	photo := []byte("\x89PNG\r\n\x1a\nnot really a png")
	if _, err := g.sim.CustomerMedia(context.Background(), janeWA, janeName, "image/png", photo, "the broken part"); err != nil {
		t.Fatal(err)
	}
	var link string
	g.waitFor("the photo in the session", func() bool {
		for _, m := range g.history() {
			if m.SessionID == s.ID && m.Payload.ContentType == "image" {
				var c struct{ URL string }
				_ = json.Unmarshal(m.Payload.Content, &c)
				link = c.URL
				return true
			}
		}
		return false
	})
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, photo) {
		t.Errorf("the photo's link %s serves %d %q", link, resp.StatusCode, got)
	}
	if resp, err := http.Get(strings.Replace(link, "sig=", "sig=0", 1)); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a link with another signature: %v %v, want 401", resp.StatusCode, err)
	}

	status, body := adminCall(t, g.srv, http.MethodGet, "/v1/admin/channels?bot_id=livechat-demo", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"webhook_url":"`+g.webhook+`"`) || !strings.Contains(string(body), `"phone_number_id":"106540352242922"`) {
		t.Errorf("the channel list: %d %s", status, body)
	}
	for _, secret := range []string{"wa-token", "wa-app-secret", "wa-verify"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the channel list shows a secret: %s", body)
		}
	}
	if status, body := adminCall(t, g.srv, http.MethodDelete, "/v1/admin/channels/"+g.channelID, nil); status != http.StatusNoContent {
		t.Fatalf("delete the channel: %d %s", status, body)
	}
	b := envelope(`{"from":"15550001111","id":"wamid.after","timestamp":"1796634000","type":"text","text":{"body":"hi"}}`, "")
	if status, _ := g.post(b, sign(b, "wa-app-secret")); status != http.StatusNotFound {
		t.Errorf("a delivery to a removed channel: %d, want 404", status)
	}
}

// TestWhatsAppEditedSecretTakesEffectAtOnce: the channel is opened once
// and kept (channel's conns), yet a new app secret set through the
// administration takes effect at the next delivery: one signed with the
// old secret is refused, one signed with the new is taken.
func TestWhatsAppEditedSecretTakesEffectAtOnce(t *testing.T) {
	g := newWAStory(t, nil, nil)
	g.write("Hi")
	g.received(0, 2) // the channel was opened for the delivery and the replies

	if status, body := adminCall(t, g.srv, http.MethodPut, "/v1/admin/channels/"+g.channelID, map[string]any{"whatsapp": map[string]any{"app_secret": "wa-app-secret-2"}}); status != http.StatusOK {
		t.Fatalf("edit the app secret: %d %s", status, body)
	}
	old := envelope(`{"from":"15550001111","id":"wamid.old-secret","timestamp":"1796634000","type":"text","text":{"body":"hi"}}`, "")
	if status, _ := g.post(old, sign(old, "wa-app-secret")); status != http.StatusUnauthorized {
		t.Errorf("a delivery signed with the old secret: %d, want 401", status)
	}
	fresh := envelope(`{"from":"15550001111","id":"wamid.new-secret","timestamp":"1796634000","type":"text","text":{"body":"hi"}}`, "")
	if status, answer := g.post(fresh, sign(fresh, "wa-app-secret-2")); status != http.StatusOK || !strings.Contains(answer, `"queued":1`) {
		t.Errorf("a delivery signed with the new secret: %d %s", status, answer)
	}
}
