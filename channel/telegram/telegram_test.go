package telegram_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/telegram"
	"switchboard/channel/telegram/telegramsim"
	"switchboard/secrets"
)

// open makes a channel's settings for the simulator and opens them, as
// the layer does.
func open(t *testing.T, sim *telegramsim.Sim, token string) (channel.Conn, json.RawMessage) {
	t.Helper()
	ring, err := secrets.New(secrets.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]string{"bot_token": token, "api_base": sim.URL()})
	stored, err := telegram.Driver{}.Setup(raw, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := telegram.Driver{}.Open(stored, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	return conn, stored
}

func startSim(t *testing.T, cfg telegramsim.Config) *telegramsim.Sim {
	t.Helper()
	sim := telegramsim.New(cfg)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

func TestSetupSealsTheTokenAndMakesTheSecret(t *testing.T) {
	sim := startSim(t, telegramsim.Config{})
	_, stored := open(t, sim, telegramsim.DefaultToken)
	if strings.Contains(string(stored), "AAsimulated") || !strings.Contains(string(stored), `"secret":"`) {
		t.Fatalf("stored settings show the token or lack the secret: %s", stored)
	}
	pub, _ := telegram.Driver{}.Public(stored)
	if len(pub) != 1 || pub["api_base"] != sim.URL() {
		t.Fatalf("public settings: %v", pub)
	}
	ring, _ := secrets.New(secrets.NewKey())
	for raw, want := range map[string]string{
		`{}`:                    "telegram.bot_token is missing",
		`{"bot_token":"hello"}`: "telegram.bot_token is not a bot token",
		`{"bot_token":"1:AAAAAAAAAAAAAAAAAAAAAAAA","secret":"x"}`:         "telegram.secret is not a setting",
		`{"bot_token":"1:AAAAAAAAAAAAAAAAAAAAAAAA","api_base":"ftp://x"}`: "telegram.api_base",
		`{"bot_token":"1:AAAAAAAAAAAAAAAAAAAAAAAA","colour":"red"}`:       "unknown field",
	} {
		_, err := telegram.Driver{}.Setup(json.RawMessage(raw), ring, "channel:c2")
		if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("Setup(%s) = %v, want EINVALID with %q", raw, err, want)
		}
	}
}

func TestRegisterSetsTheWebhookWithTheSecret(t *testing.T) {
	sim := startSim(t, telegramsim.Config{}) // strict: HTTPS on Telegram's ports only
	conn, _ := open(t, sim, telegramsim.DefaultToken)
	reg := conn.(channel.Registrar)
	ctx := context.Background()
	err := reg.Register(ctx, "http://127.0.0.1:8080/v1/channels/c1/webhook")
	if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), "An HTTPS URL must be provided") {
		t.Fatalf("an http webhook: %v", err)
	}
	if err := reg.Register(ctx, "https://bots.example.com/v1/channels/c1/webhook"); err != nil {
		t.Fatal(err)
	}
	if info := sim.WebhookInfo(); info["url"] != "https://bots.example.com/v1/channels/c1/webhook" || len(info["allowed_updates"].([]string)) != 2 || info["max_connections"] != 1 {
		t.Fatalf("webhook info: %v", info)
	}
	if err := reg.Unregister(ctx); err != nil || sim.WebhookInfo()["url"] != "" {
		t.Fatalf("unregister: %v %v", err, sim.WebhookInfo())
	}
	// A revoked token: refused, in Telegram's words, without the token.
	bad, _ := open(t, sim, "7000000001:AArevokedrevokedrevokedrevoked")
	err = bad.(channel.Registrar).Register(ctx, "https://bots.example.com/hook")
	if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), "401 Unauthorized") || strings.Contains(err.Error(), "AArevoked") {
		t.Fatalf("a revoked token: %v", err)
	}
}

func TestVerifyAndParse(t *testing.T) {
	sim := startSim(t, telegramsim.Config{})
	conn, _ := open(t, sim, telegramsim.DefaultToken)
	h := http.Header{}
	if err := conn.Verify(h, nil); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
		t.Fatalf("no secret: %v", err)
	}
	h.Set("X-Telegram-Bot-Api-Secret-Token", "forged")
	if err := conn.Verify(h, nil); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
		t.Fatalf("a forged secret: %v", err)
	}
	items, err := conn.Parse([]byte(`{"update_id":9,"callback_query":{"id":"77","from":{"id":5,"first_name":"Ada"},"chat_instance":"1","data":"~12.3",
		"message":{"message_id":4,"date":1700000000,"chat":{"id":5,"type":"private"},"reply_markup":{"inline_keyboard":[[{"text":"Talk to a human","callback_data":"~12.3"}]]}}}}`))
	if err != nil || len(items) != 1 {
		t.Fatalf("parse: %v %v", items, err)
	}
	it := items[0]
	if it.ID != "9" || it.UserID != "5" || it.Payload.ContentType != "payload" || string(it.Payload.Content) != `{"payload":"~12.3","title":"Talk to a human"}` {
		t.Fatalf("callback item: %+v %s", it, it.Payload.Content)
	}
	reply, _ := json.Marshal(conn.(channel.Replier).WebhookReply([]byte(`{"update_id":9,"callback_query":{"id":"77"}}`)))
	if string(reply) != `{"callback_query_id":"77","method":"answerCallbackQuery"}` {
		t.Fatalf("webhook reply: %s", reply)
	}
	// A location becomes a map link; a contact its name and number.
	for body, want := range map[string]string{
		`{"update_id":12,"message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"location":{"latitude":48.8584,"longitude":2.2945}}}`:           `url {"latitude":48.8584,"longitude":2.2945,"url":"https://maps.google.com/?q=48.8584,2.2945"}`,
		`{"update_id":13,"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"},"contact":{"phone_number":"+33612345678","first_name":"Bob"}}}`: `text {"text":"Bob +33612345678"}`,
	} {
		items, err := conn.Parse([]byte(body))
		if err != nil || len(items) != 1 || items[0].Payload.ContentType+" "+string(items[0].Payload.Content) != want {
			t.Errorf("parse %s: %+v %v, want %s", body, items, err, want)
		}
	}
	// A group's message, an edit: not a customer's conversation.
	for _, body := range []string{
		`{"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"group"},"text":"hi"}}`,
		`{"update_id":11,"edited_message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hi"}}`,
	} {
		if items, err := conn.Parse([]byte(body)); err != nil || len(items) != 0 {
			t.Errorf("parse %s: %v %v", body, items, err)
		}
	}
}

func TestButtonsBeyond64BytesAreReferences(t *testing.T) {
	sim := startSim(t, telegramsim.Config{})
	conn, _ := open(t, sim, telegramsim.DefaultToken)
	long := strings.Repeat("€", 22) // 22 characters, 66 bytes
	content, _ := json.Marshal(map[string]any{"title": "Pick", "buttons": []map[string]string{
		{"title": "Short", "payload": "SHORT"}, {"title": "Long", "payload": long}, {"title": "Exact", "payload": strings.Repeat("a", 64)},
	}})
	m := switchboard.Message{ID: 31, Payload: switchboard.Payload{ContentType: "question", Content: content}}
	comp := channel.ReadComponent(m, conn.Limits())
	natives, err := conn.Render(comp, channel.Outgoing{Message: m})
	if err != nil || len(natives) != 1 || natives[0].Kind != "sendMessage" {
		t.Fatalf("render: %+v %v", natives, err)
	}
	raw, _ := json.Marshal(natives[0].Body)
	want := `{"reply_markup":{"inline_keyboard":[[{"callback_data":"SHORT","text":"Short"}],[{"callback_data":"~31.2","text":"Long"}],[{"callback_data":"` + strings.Repeat("a", 64) + `","text":"Exact"}]]},"text":"Pick"}`
	if string(raw) != want {
		t.Fatalf("keyboard:\n%s\nwant\n%s", raw, want)
	}
	// The simulator takes it as Telegram would.
	chat := sim.UserStart("Ada", "")
	if _, err := conn.Send(context.Background(), itoa(chat), natives[0]); err != nil {
		t.Fatal(err)
	}
}

func TestSendErrorsAreClassified(t *testing.T) {
	sim := startSim(t, telegramsim.Config{})
	conn, _ := open(t, sim, telegramsim.DefaultToken)
	ctx := context.Background()
	chat := itoa(sim.UserStart("Ada", ""))
	text := channel.Native{Kind: "sendMessage", Body: map[string]any{"text": "hello"}}

	sim.Throttle(1, 7)
	_, err := conn.Send(ctx, chat, text)
	var ra interface{ RetryAfter() time.Duration }
	if !asRetry(err, &ra) || ra.RetryAfter() != 7*time.Second || channel.IsPermanent(err) {
		t.Fatalf("a 429 with retry_after 7: %v", err)
	}
	id, err := conn.Send(ctx, chat, text)
	if err != nil || !strings.HasPrefix(id, chat+":") {
		t.Fatalf("the send after the wait: %q %v", id, err)
	}
	if _, err := conn.Send(ctx, "42", text); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("an unknown chat: %v", err)
	}
	if id, err := conn.Send(ctx, chat, channel.Native{Kind: "sendChatAction", Body: map[string]any{"action": "typing"}}); err != nil || id != "" {
		t.Fatalf("typing: %q %v", id, err)
	}
	if c, _ := sim.Chat(mustInt(chat)); c.Action != "typing" {
		t.Fatalf("the chat shows no typing: %+v", c)
	}
	sw := sim.Switches()
	sw.Outage = true
	sim.SetSwitches(sw)
	if _, err := conn.Send(ctx, chat, text); err == nil || channel.IsPermanent(err) {
		t.Fatalf("an outage must be retried: %v", err)
	}
}

func TestMediaDownloadsThroughGetFile(t *testing.T) {
	sim := startSim(t, telegramsim.Config{})
	conn, _ := open(t, sim, telegramsim.DefaultToken)
	chat := sim.UserStart("Ada", "")
	if _, err := sim.UserFile(chat, "photo", "cat.jpg", "image/jpeg", []byte("JPEG!"), "my cat"); err != nil {
		t.Fatal(err)
	}
	c, _ := sim.Chat(chat)
	ct, body, err := conn.Media(context.Background(), c.Messages[len(c.Messages)-1].File)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(body)
	body.Close()
	if ct != "image/jpeg" || string(data) != "JPEG!" {
		t.Fatalf("media: %s %q", ct, data)
	}
}
