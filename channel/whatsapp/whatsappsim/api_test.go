package whatsappsim

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSendRefusesWhatMetaRefuses: each bad request gets the Graph error
// envelope with Meta's code, and nothing is sent.
func TestSendRefusesWhatMetaRefuses(t *testing.T) {
	s, _ := start(t, Config{})
	pnid, tok := s.Config().PhoneNumberID, s.Config().AccessToken
	long := func(n int) string { return strings.Repeat("a", n) }
	inter := func(kind string, action map[string]any) map[string]any {
		return map[string]any{"to": "16315551181", "type": "interactive", "interactive": map[string]any{"type": kind, "body": map[string]any{"text": "Pick"}, "action": action}}
	}
	btn := func(id, title string) map[string]any {
		return map[string]any{"type": "reply", "reply": map[string]any{"id": id, "title": title}}
	}
	rows := func(n int) []any {
		var out []any
		for i := range n {
			out = append(out, map[string]any{"id": "r" + itoa(i), "title": "Row " + itoa(i)})
		}
		return out
	}
	for _, c := range []struct {
		name   string
		path   string
		token  string
		body   map[string]any
		status int
		code   int
	}{
		{"no token", "/" + pnid + "/messages", "", text("16315551181", "hi"), 401, 190},
		{"wrong token", "/v21.0/" + pnid + "/messages", "forged", text("16315551181", "hi"), 401, 190},
		{"wrong phone number id", "/v21.0/999/messages", tok, text("16315551181", "hi"), 400, 100},
		{"no messaging_product", "", tok, map[string]any{"messaging_product": nil, "to": "16315551181", "text": map[string]any{"body": "hi"}}, 400, 100},
		{"other messaging_product", "", tok, map[string]any{"messaging_product": "messenger", "to": "16315551181", "text": map[string]any{"body": "hi"}}, 400, 100},
		{"no to", "", tok, map[string]any{"type": "text", "text": map[string]any{"body": "hi"}}, 400, 100},
		{"bad type", "", tok, map[string]any{"to": "16315551181", "type": "carousel"}, 400, 100},
		{"text too long", "", tok, text("16315551181", long(4097)), 400, 131009},
		{"empty text", "", tok, text("16315551181", ""), 400, 131009},
		{"four buttons", "", tok, buttons("16315551181", "a", "b", "c", "d"), 400, 131009},
		{"button title of 21", "", tok, inter("button", map[string]any{"buttons": []any{btn("a", long(21))}}), 400, 131009},
		{"duplicate button ids", "", tok, inter("button", map[string]any{"buttons": []any{btn("a", "One"), btn("a", "Two")}}), 400, 131009},
		{"duplicate button titles", "", tok, inter("button", map[string]any{"buttons": []any{btn("a", "One"), btn("b", "One")}}), 400, 131009},
		{"interactive body too long", "", tok, map[string]any{"to": "16315551181", "type": "interactive", "interactive": map[string]any{"type": "button",
			"body": map[string]any{"text": long(1025)}, "action": map[string]any{"buttons": []any{btn("a", "A")}}}}, 400, 131009},
		{"eleven list rows", "", tok, inter("list", map[string]any{"button": "Menu", "sections": []any{map[string]any{"title": "S", "rows": rows(11)}}}), 400, 131009},
		{"list without button", "", tok, inter("list", map[string]any{"sections": []any{map[string]any{"rows": rows(2)}}}), 400, 131008},
		{"untitled sections", "", tok, inter("list", map[string]any{"button": "Menu", "sections": []any{map[string]any{"rows": rows(1)}, map[string]any{"rows": rows(1)}}}), 400, 131008},
		{"image header on a list", "", tok, map[string]any{"to": "16315551181", "type": "interactive", "interactive": map[string]any{"type": "list",
			"header": map[string]any{"type": "image", "image": map[string]any{"link": "https://example.com/a.png"}}, "body": map[string]any{"text": "Pick"},
			"action": map[string]any{"button": "Menu", "sections": []any{map[string]any{"rows": rows(1)}}}}}, 400, 131009},
		{"header text of 61", "", tok, map[string]any{"to": "16315551181", "type": "interactive", "interactive": map[string]any{"type": "button",
			"header": map[string]any{"type": "text", "text": long(61)}, "body": map[string]any{"text": "Pick"}, "action": map[string]any{"buttons": []any{btn("a", "A")}}}}, 400, 131009},
		{"unknown media id", "", tok, map[string]any{"to": "16315551181", "type": "image", "image": map[string]any{"id": "123"}}, 400, 100},
		{"unknown template", "", tok, map[string]any{"to": "16315551181", "type": "template", "template": map[string]any{"name": "nope", "language": map[string]any{"code": "en_US"}}}, 404, 132001},
		{"template parameters", "", tok, map[string]any{"to": "16315551181", "type": "template", "template": map[string]any{"name": "hello_world", "language": map[string]any{"code": "en_US"},
			"components": []any{map[string]any{"type": "body", "parameters": []any{map[string]any{"type": "text", "text": "x"}}}}}}, 400, 132000},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			if path == "" {
				path = "/v21.0/" + pnid + "/messages"
			}
			if _, ok := c.body["messaging_product"]; !ok {
				c.body["messaging_product"] = "whatsapp"
			}
			status, out := graph(t, s, "POST", path, c.token, c.body)
			if status != c.status || errCode(out) != c.code {
				t.Errorf("answered %d %v, want %d with code %d", status, out, c.status, c.code)
			}
			if e, _ := out["error"].(map[string]any); e["fbtrace_id"] == nil || e["message"] == "" {
				t.Errorf("not Graph's error envelope: %v", out)
			}
		})
	}
	if out := s.Outbound("16315551181"); len(out) != 0 {
		t.Errorf("refused requests were sent: %+v", out)
	}
}

// TestOutsideTheWindowFailsLate: a free-form message to a customer silent
// for more than 24 hours is accepted (200 and a wamid), then a `failed`
// status with 131047 follows; a template goes through.
func TestOutsideTheWindowFailsLate(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s, rc := start(t, Config{Now: func() time.Time { return now }})
	ctx := wait(t)
	if _, err := s.CustomerText(ctx, "447700900123", "Sam", "hi"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24*time.Hour + time.Second)
	status, out := send(t, s, text("447700900123", "Sorry for the wait"))
	if status != 200 {
		t.Fatalf("a message outside the window was refused at once: %d %v", status, out)
	}
	late := out["messages"].([]any)[0].(map[string]any)["id"].(string)
	m, err := s.WaitStatus(ctx, late, StatusFailed)
	if err != nil || m.Error == nil || m.Error.Code != 131047 {
		t.Fatalf("the message is %+v, %v", m, err)
	}
	s.AddTemplate("follow_up", "en", "Hi {{1}}, an agent answered you.")
	status, out = send(t, s, map[string]any{"to": "447700900123", "type": "template", "template": map[string]any{"name": "follow_up", "language": map[string]any{"code": "en"},
		"components": []any{map[string]any{"type": "body", "parameters": []any{map[string]any{"type": "text", "text": "Sam"}}}}}})
	if status != 200 {
		t.Fatalf("the template was refused: %d %v", status, out)
	}
	tpl := out["messages"].([]any)[0].(map[string]any)["id"].(string)
	if m, err := s.WaitStatus(ctx, tpl, StatusRead); err != nil || m.Text != "Hi Sam, an agent answered you." {
		t.Fatalf("the template is %+v, %v", m, err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	_, stats := rc.items()
	var failed map[string]any
	for _, st := range stats {
		if st["id"] == late {
			if failed != nil || st["status"] != "failed" {
				t.Errorf("the late message got more than its failed status: %v", stats)
			}
			failed = st
		}
	}
	errs, _ := failed["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["code"] != float64(131047) || failed["recipient_id"] != "447700900123" {
		t.Errorf("the failed status: %v", failed)
	}
	if _, err := s.CustomerText(ctx, "447700900123", "Sam", "back"); err != nil {
		t.Fatal(err)
	}
	s.CloseWindow("447700900123")
	_, out = send(t, s, text("447700900123", "closed by hand"))
	if m, err := s.WaitStatus(ctx, out["messages"].([]any)[0].(map[string]any)["id"].(string), StatusFailed); err != nil || m.Error.Code != 131047 {
		t.Errorf("after CloseWindow: %+v %v", m, err)
	}
	if _, err := s.CustomerPress(ctx, "447700900123", "", "x"); err == nil {
		t.Error("pressed a button that was never sent")
	}
}

// TestRateLimits: past the throughput limit 130429, past the pair limit
// 131056; an outage answers 503.
func TestRateLimits(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s, _ := start(t, Config{Now: func() time.Time { return now }})
	ctx := wait(t)
	for _, wa := range []string{"111111111", "222222222", "333333333"} {
		if _, err := s.CustomerText(ctx, wa, "", "hi"); err != nil {
			t.Fatal(err)
		}
	}
	s.SetThroughputLimit(2)
	codes := []int{}
	for _, wa := range []string{"111111111", "222222222", "333333333"} {
		_, out := send(t, s, text(wa, "hello"))
		codes = append(codes, errCode(out))
	}
	if codes[0] != 0 || codes[1] != 0 || codes[2] != 130429 {
		t.Errorf("throughput limit of 2/s: codes %v", codes)
	}
	now = now.Add(time.Second)
	s.SetThroughputLimit(0)
	s.SetPairRateLimit(1, 6*time.Second)
	if _, out := send(t, s, text("333333333", "one")); errCode(out) != 0 {
		t.Errorf("first message to the pair: %v", out)
	}
	if status, out := send(t, s, text("333333333", "two")); status != 400 || errCode(out) != 131056 {
		t.Errorf("second message to the pair within 6 s: %d %v", status, out)
	}
	s.SetOutage(true)
	if status, out := send(t, s, text("111111111", "down")); status != 503 || errCode(out) != 2 {
		t.Errorf("during an outage: %d %v", status, out)
	}
	if got := len(s.Refused()); got != 2 {
		t.Errorf("%d refused sends recorded, want 2 (the outage never reached the API)", got)
	}
}

// TestMediaRoundTrip: an upload is sent by id; a customer's file is
// described by GET /{media-id} and downloaded only with the token, before
// its URL expires.
func TestMediaRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s, rc := start(t, Config{Now: func() time.Time { return now }})
	ctx := wait(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	upload := func(typ string, data []byte) (int, map[string]any) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("messaging_product", "whatsapp")
		mw.WriteField("type", typ)
		fw, _ := mw.CreateFormFile("file", "a.png")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", s.URL()+"/v21.0/"+s.Config().PhoneNumberID+"/media", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+s.Config().AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = jsonDecode(resp.Body, &out)
		return resp.StatusCode, out
	}
	if status, out := upload("image/gif", png); status != 400 || errCode(out) != 100 {
		t.Errorf("a GIF upload: %d %v", status, out)
	}
	if status, out := upload("image/png", bytes.Repeat([]byte{1}, 5<<20+1)); status != 400 {
		t.Errorf("an image over 5 MB: %d %v", status, out)
	}
	status, out := upload("image/png", png)
	if status != 200 || out["id"] == nil {
		t.Fatalf("upload: %d %v", status, out)
	}
	if _, err := s.CustomerText(ctx, "16315551181", "Jane", "send me the map"); err != nil {
		t.Fatal(err)
	}
	if status, out := send(t, s, map[string]any{"to": "16315551181", "type": "image", "image": map[string]any{"id": out["id"], "caption": "The map"}}); status != 200 {
		t.Fatalf("send by media id: %d %v", status, out)
	}
	sent, _ := s.WaitOutbound(ctx, "16315551181", 1)
	if m := sent[0].Media; m == nil || !bytes.Equal(m.Data, png) || m.MimeType != "image/png" || sent[0].Text != "The map" {
		t.Errorf("sent %+v", sent[0])
	}

	pdf := []byte("%PDF-1.4 receipt")
	if _, err := s.CustomerMedia(ctx, "16315551181", "Jane", "application/pdf", pdf, "my receipt"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, _ := rc.items()
	doc := msgs[len(msgs)-1]["document"].(map[string]any)
	if doc["mime_type"] != "application/pdf" || doc["caption"] != "my receipt" || doc["sha256"] == "" {
		t.Fatalf("the document message: %v", doc)
	}
	status, info := graph(t, s, "GET", "/v21.0/"+doc["id"].(string), s.Config().AccessToken, nil)
	if status != 200 || info["file_size"] != float64(len(pdf)) || info["sha256"] != doc["sha256"] || info["messaging_product"] != "whatsapp" {
		t.Fatalf("GET media: %d %v", status, info)
	}
	get := func(token string) (int, []byte) {
		req, _ := http.NewRequest("GET", info["url"].(string), nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if status, _ := get(""); status != 401 {
		t.Errorf("download without the token: %d", status)
	}
	if status, body := get(s.Config().AccessToken); status != 200 || !bytes.Equal(body, pdf) {
		t.Errorf("download: %d %q", status, body)
	}
	now = now.Add(6 * time.Minute)
	if status, _ := get(s.Config().AccessToken); status != 404 {
		t.Errorf("download after the URL expired: %d", status)
	}
	if status, out := graph(t, s, "GET", "/v21.0/4242", s.Config().AccessToken, nil); status != 400 || errCode(out) != 100 {
		t.Errorf("an unknown media id: %d %v", status, out)
	}
}

// TestPhoneNumberObject: GET /{phone-number-id} answers the number's
// fields with the right token, 190 without it and 100 for another id, as
// the Graph API does (the admin page's check reads it).
func TestPhoneNumberObject(t *testing.T) {
	s, _ := start(t, Config{})
	pnid, tok := s.Config().PhoneNumberID, s.Config().AccessToken
	status, out := graph(t, s, http.MethodGet, "/v21.0/"+pnid, tok, nil)
	if status != http.StatusOK || out["id"] != pnid || out["display_phone_number"] != s.Config().DisplayPhoneNumber || out["verified_name"] != VerifiedName {
		t.Errorf("GET the number → %d %v", status, out)
	}
	if status, out := graph(t, s, http.MethodGet, "/v21.0/"+pnid, "forged", nil); status != http.StatusUnauthorized || errCode(out) != 190 {
		t.Errorf("with a forged token → %d %v, want 401 with code 190", status, out)
	}
	if status, out := graph(t, s, http.MethodGet, "/v21.0/999", tok, nil); status != http.StatusBadRequest || errCode(out) != 100 {
		t.Errorf("another number → %d %v, want 400 with code 100", status, out)
	}
}
