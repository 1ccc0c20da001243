package telegramsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/channel/telegram/telegramsim"
)

// start serves a simulator for the test.
func start(t *testing.T, cfg telegramsim.Config) *telegramsim.Sim {
	t.Helper()
	s := telegramsim.New(cfg)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// answer is a Bot API answer.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call makes one Bot API call with a JSON body.
func call(t *testing.T, s *telegramsim.Sim, token, method string, params any) (int, answer) {
	t.Helper()
	raw, _ := json.Marshal(params)
	res, err := http.Post(s.URL()+"/bot"+token+"/"+method, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a answer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatalf("%s: the answer is not JSON: %v", method, err)
	}
	if a.OK == (res.StatusCode != http.StatusOK) || !a.OK && a.ErrorCode != res.StatusCode {
		t.Fatalf("%s: HTTP %d with %+v: error_code must mirror the status", method, res.StatusCode, a)
	}
	return res.StatusCode, a
}

const token = telegramsim.DefaultToken

func TestSendValidationIsTelegrams(t *testing.T) {
	s := start(t, telegramsim.Config{})
	chat := s.UserStart("Ada", "ada")
	kb := func(data string) map[string]any {
		return map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Go", "callback_data": data}}}}
	}
	cases := []struct {
		name, token, method string
		params              map[string]any
		status              int
		desc                string
	}{
		{"bad token", "123:nope", "sendMessage", map[string]any{"chat_id": chat, "text": "hi"}, 401, "Unauthorized"},
		{"unknown method", token, "sendTelepathy", map[string]any{}, 404, "Not Found"},
		{"empty text", token, "sendMessage", map[string]any{"chat_id": chat, "text": " "}, 400, "Bad Request: message text is empty"},
		{"long text", token, "sendMessage", map[string]any{"chat_id": chat, "text": strings.Repeat("é", 4097)}, 400, "Bad Request: message is too long"},
		{"unknown chat", token, "sendMessage", map[string]any{"chat_id": 42, "text": "hi"}, 400, "Bad Request: chat not found"},
		// 22 three-byte runes: 66 bytes, though only 22 characters.
		{"callback_data over 64 bytes", token, "sendMessage", map[string]any{"chat_id": chat, "text": "Pick", "reply_markup": kb(strings.Repeat("€", 22))}, 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"empty callback_data", token, "sendMessage", map[string]any{"chat_id": chat, "text": "Pick", "reply_markup": kb("")}, 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"MarkdownV2 not escaped", token, "sendMessage", map[string]any{"chat_id": chat, "text": "Done.", "parse_mode": "MarkdownV2"}, 400, "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"},
		{"HTML not closed", token, "sendMessage", map[string]any{"chat_id": chat, "text": "<b>bold", "parse_mode": "HTML"}, 400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"HTML tag unknown", token, "sendMessage", map[string]any{"chat_id": chat, "text": "<div>x</div>", "parse_mode": "HTML"}, 400, `Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0`},
		{"unknown parse_mode", token, "sendMessage", map[string]any{"chat_id": chat, "text": "x", "parse_mode": "BBCode"}, 400, "Bad Request: unsupported parse_mode"},
		{"long caption", token, "sendPhoto", map[string]any{"chat_id": chat, "photo": "https://example.com/a.jpg", "caption": strings.Repeat("a", 1025)}, 400, "Bad Request: message caption is too long"},
		{"photo neither URL nor file", token, "sendPhoto", map[string]any{"chat_id": chat, "photo": "nonsense"}, 400, "Bad Request: wrong file identifier/HTTP URL specified"},
		{"unknown chat action", token, "sendChatAction", map[string]any{"chat_id": chat, "action": "dancing"}, 400, "Bad Request: wrong parameter action in request"},
		{"unknown callback query", token, "answerCallbackQuery", map[string]any{"callback_query_id": "nope"}, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{"webhook over http", token, "setWebhook", map[string]any{"url": "http://example.com/hook"}, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"},
		{"webhook port", token, "setWebhook", map[string]any{"url": "https://example.com:9000/hook"}, 400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"},
		{"secret charset", token, "setWebhook", map[string]any{"url": "https://example.com/hook", "secret_token": "a b"}, 400, "Bad Request: secret token contains unallowed characters"},
	}
	for _, c := range cases {
		status, a := call(t, s, c.token, c.method, c.params)
		if status != c.status || a.Description != c.desc {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, a.Description, c.status, c.desc)
		}
	}
	// Exactly 64 bytes pass; a chat action and a photo by URL too.
	for _, c := range []struct {
		method string
		params map[string]any
	}{
		{"sendMessage", map[string]any{"chat_id": chat, "text": "Pick", "reply_markup": kb(strings.Repeat("€", 21) + "a")}},
		{"sendChatAction", map[string]any{"chat_id": chat, "action": "typing"}},
		{"sendPhoto", map[string]any{"chat_id": chat, "photo": "https://example.com/a.jpg", "caption": "A cat"}},
	} {
		if status, a := call(t, s, token, c.method, c.params); status != 200 {
			t.Errorf("%s: %d %s", c.method, status, a.Description)
		}
	}
	c, _ := s.Chat(chat)
	if len(c.Messages) != 3 || c.Messages[1].Keyboard[0][0].CallbackData != strings.Repeat("€", 21)+"a" || c.Messages[2].Media != "photo" {
		t.Fatalf("chat after the sends: %+v", c.Messages)
	}
	if status, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": `<b>Bold</b> and <a href="https://example.com">a link</a>`, "parse_mode": "HTML"}); status != 200 {
		t.Fatalf("well-formed HTML: %d %s", status, a.Description)
	}
	// A blocked user: 403.
	_ = s.Block(chat, true)
	if status, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": "hi"}); status != 403 || a.Description != "Forbidden: bot was blocked by the user" {
		t.Fatalf("blocked: %d %q", status, a.Description)
	}
}

func TestFloodControlAnswers429WithRetryAfter(t *testing.T) {
	s := start(t, telegramsim.Config{ChatBurst: 3})
	chat := s.UserStart("Ada", "")
	for i := range 3 {
		if status, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": "hi"}); status != 200 {
			t.Fatalf("send %d: %d %s", i, status, a.Description)
		}
	}
	status, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": "hi"})
	if status != 429 || a.Parameters.RetryAfter < 1 || a.Parameters.RetryAfter > 3 || !strings.HasPrefix(a.Description, "Too Many Requests: retry after ") {
		t.Fatalf("the fourth send in a burst of 3: %d %+v", status, a)
	}
	// The console's switch throttles with its own delay.
	s.Throttle(1, 7)
	if status, a := call(t, s, token, "getMe", nil); status != 429 || a.Parameters.RetryAfter != 7 {
		t.Fatalf("throttled: %d %+v", status, a)
	}
}

// receiver records webhook deliveries and answers with status.
type receiver struct {
	mu     sync.Mutex
	got    []http.Header
	bodies []string
	status int
	reply  string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, req.Header.Clone())
	r.bodies = append(r.bodies, string(body))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_, _ = io.WriteString(w, r.reply)
}

func TestWebhookDeliveriesRetriesAndReply(t *testing.T) {
	s := start(t, telegramsim.Config{InsecureWebhooks: true, RetryBase: 10 * time.Millisecond, Attempts: 3})
	rec := &receiver{status: 500}
	hook := httptest.NewServer(rec)
	defer hook.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if status, a := call(t, s, token, "setWebhook", map[string]any{"url": hook.URL + "/hook", "secret_token": "s3cr3t_-X", "allowed_updates": []string{"message", "callback_query"}}); status != 200 {
		t.Fatalf("setWebhook: %s", a.Description)
	}
	if status, a := call(t, s, token, "getUpdates", nil); status != 409 || !strings.HasPrefix(a.Description, "Conflict:") {
		t.Fatalf("getUpdates with a webhook: %d %s", status, a.Description)
	}
	chat := s.UserStart("Ada", "")
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	n := len(rec.got)
	secret := rec.got[0].Get("X-Telegram-Bot-Api-Secret-Token")
	rec.mu.Unlock()
	if n != 3 || secret != "s3cr3t_-X" {
		t.Fatalf("a failing receiver got %d attempts (want 3), secret %q", n, secret)
	}
	info := s.WebhookInfo()
	if info["last_error_message"] != "Wrong response from the webhook: 500 Internal Server Error" {
		t.Fatalf("webhook info after failures: %v", info)
	}

	// A receiver that works, and answers a press in its answer.
	rec.mu.Lock()
	rec.status = 200
	rec.mu.Unlock()
	if _, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": "Pick", "reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Yes", "callback_data": "YES"}}}}}); !a.OK {
		t.Fatal(a.Description)
	}
	id, err := s.UserPress(chat, "Yes")
	if err != nil {
		t.Fatal(err)
	}
	if cb, _ := s.Callback(id); cb.Answered {
		t.Fatal("a press is answered before the bot answers it")
	}
	rec.mu.Lock()
	rec.reply = `{"method":"answerCallbackQuery","callback_query_id":"` + id + `"}`
	rec.mu.Unlock()
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	if cb, _ := s.Callback(id); !cb.Answered || cb.Data != "YES" {
		t.Fatalf("the press after the webhook answered it: %+v", cb)
	}
	rec.mu.Lock()
	last := rec.bodies[len(rec.bodies)-1]
	rec.mu.Unlock()
	var up struct {
		UpdateID      int64 `json:"update_id"`
		CallbackQuery struct {
			ID, Data string
			Message  struct {
				ReplyMarkup json.RawMessage `json:"reply_markup"`
			}
		} `json:"callback_query"`
	}
	if err := json.Unmarshal([]byte(last), &up); err != nil || up.UpdateID == 0 || up.CallbackQuery.Data != "YES" || len(up.CallbackQuery.Message.ReplyMarkup) == 0 {
		t.Fatalf("callback_query update: %v %s", err, last)
	}
	if s.WebhookInfo()["pending_update_count"] != 0 {
		t.Fatalf("pending after success: %v", s.WebhookInfo())
	}

	// deleteWebhook: updates wait for getUpdates.
	call(t, s, token, "deleteWebhook", nil)
	up2, _ := s.UserText(chat, "anyone?")
	status, a := call(t, s, token, "getUpdates", nil)
	if status != 200 || !strings.Contains(string(a.Result), `"anyone?"`) || !strings.Contains(string(a.Result), `"update_id":`) {
		t.Fatalf("getUpdates: %d %s", status, a.Result)
	}
	call(t, s, token, "getUpdates", map[string]any{"offset": up2 + 1})
	if s.WebhookInfo()["pending_update_count"] != 0 {
		t.Fatalf("confirmed updates still pending: %v", s.WebhookInfo())
	}
}

func TestFilesDownloadWithTheToken(t *testing.T) {
	s := start(t, telegramsim.Config{})
	chat := s.UserStart("Ada", "")
	if _, err := s.UserFile(chat, "document", "invoice.pdf", "application/pdf", []byte("%PDF-1.7"), "my invoice"); err != nil {
		t.Fatal(err)
	}
	status, a := call(t, s, token, "getUpdates", nil)
	var ups []struct {
		Message struct {
			Document struct {
				FileID string `json:"file_id"`
			}
		}
	}
	_ = json.Unmarshal(a.Result, &ups)
	if status != 200 || len(ups) != 2 || ups[1].Message.Document.FileID == "" {
		t.Fatalf("updates: %s", a.Result)
	}
	_, f := call(t, s, token, "getFile", map[string]any{"file_id": ups[1].Message.Document.FileID})
	var file struct {
		FilePath string `json:"file_path"`
	}
	_ = json.Unmarshal(f.Result, &file)
	res, err := http.Get(s.URL() + "/file/bot" + token + "/" + file.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "%PDF-1.7" {
		t.Fatalf("download: %d %q", res.StatusCode, body)
	}
	res, _ = http.Get(s.URL() + "/file/bot123:wrong/" + file.FilePath)
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("download with another token: %d", res.StatusCode)
	}
}

// TestOneConnectionDeliversInOrder: with max_connections 1 the updates come
// one at a time, in update_id order.
func TestOneConnectionDeliversInOrder(t *testing.T) {
	s := start(t, telegramsim.Config{InsecureWebhooks: true})
	rec := &receiver{status: 200}
	hook := httptest.NewServer(rec)
	defer hook.Close()
	call(t, s, token, "setWebhook", map[string]any{"url": hook.URL, "max_connections": 1})
	chat := s.UserStart("Ada", "")
	for i := range 30 {
		if _, err := s.UserText(chat, "message "+strings.Repeat("!", i)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var last int64
	for _, b := range rec.bodies {
		var u struct {
			UpdateID int64 `json:"update_id"`
		}
		_ = json.Unmarshal([]byte(b), &u)
		if u.UpdateID <= last {
			t.Fatalf("update %d came after %d", u.UpdateID, last)
		}
		last = u.UpdateID
	}
	if len(rec.bodies) != 31 {
		t.Fatalf("%d deliveries, want 31", len(rec.bodies))
	}
}

// TestUpdateKinds: a location, an edit and a block come as Telegram's
// updates; an update nobody fetched is dropped after 24 hours.
func TestUpdateKinds(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := start(t, telegramsim.Config{Now: clock})
	chat := s.UserStart("Ada", "")
	s.UserLocation(chat, 48.8584, 2.2945)
	s.UserEdit(chat, 1, "/start again")
	s.Block(chat, true)
	_, a := call(t, s, token, "getUpdates", nil)
	for _, want := range []string{`"location":{"latitude":48.8584,"longitude":2.2945}`, `"edited_message":{`, `"edit_date":`, `"my_chat_member":{`, `"new_chat_member":{"status":"kicked"`} {
		if !strings.Contains(string(a.Result), want) {
			t.Errorf("no %s in the updates: %s", want, a.Result)
		}
	}
	mu.Lock()
	now = now.Add(25 * time.Hour)
	mu.Unlock()
	if _, a := call(t, s, token, "getUpdates", nil); string(a.Result) != "[]" {
		t.Fatalf("updates kept past 24 hours: %s", a.Result)
	}
}
