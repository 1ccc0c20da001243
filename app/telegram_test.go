package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/telegram/telegramsim"
	"switchboard/livechat"
)

// telegramStory is a server with the demo bot, a Telegram channel on a
// simulated Bot API, and an agent on the desk.
type telegramStory struct {
	t       *testing.T
	srv     *server
	sim     *telegramsim.Sim
	channel struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		WebhookURL string         `json:"webhook_url"`
		Telegram   map[string]any `json:"telegram"`
	}
}

// jsonCall makes a JSON request.
func jsonCall(t *testing.T, c *http.Client, method, url string, h http.Header, in any, want int, out any) []byte {
	t.Helper()
	var body io.Reader
	if in != nil {
		raw, _ := json.Marshal(in)
		body = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, url, body)
	for k, v := range h {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, url, res.StatusCode, raw, want)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, raw)
		}
	}
	return raw
}

var slowClient = &http.Client{Timeout: 30 * time.Second}

// startTelegram starts the simulator and the server, and creates the
// channel with the admin API.
func startTelegram(t *testing.T) *telegramStory {
	return startTelegramWith(t, nil, telegramsim.Config{RetryBase: 20 * time.Millisecond, Attempts: 3})
}

// startTelegramWith is startTelegram with the demo bot's livechat
// settings (nil: the desk) and the simulator's configuration.
func startTelegramWith(t *testing.T, settings *livechat.Settings, simCfg telegramsim.Config) *telegramStory {
	s := &telegramStory{t: t}
	simCfg.InsecureWebhooks = true
	s.sim = telegramsim.New(simCfg)
	if err := s.sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.sim.Close)
	s.srv = startServer(t, switchboard.SystemClock{}, settings)
	status, raw := adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels",
		map[string]any{"bot_id": "livechat-demo", "type": "telegram", "telegram": map[string]string{"bot_token": telegramsim.DefaultToken, "api_base": s.sim.URL()}})
	if status != http.StatusCreated || strings.Contains(string(raw), "AAsimulated") || strings.Contains(string(raw), "secret") {
		t.Fatalf("create the channel: %d %s (never the token or the secret)", status, raw)
	}
	decodeChannel(t, raw, &s.channel)
	return s
}

// session waits for the customer's livechat session.
func (s *telegramStory) session() switchboard.Session {
	s.t.Helper()
	var session switchboard.Session
	s.wait("the livechat session", func() bool {
		var ok bool
		session, ok = channelSession(s.srv, s.channel.ID)
		return ok
	})
	return session
}

// wait waits for cond, checked at every change of the simulator.
func (s *telegramStory) wait(what string, cond func() bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond) // the server's side changes too
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			s.t.Fatalf("timed out waiting for %s; the simulator's calls: %+v, webhook %v", what, s.sim.Calls(), s.sim.WebhookInfo())
		case <-tick.C:
		}
	}
}

// botSays waits for the bot's message that contains text in the chat.
func (s *telegramStory) botSays(chat int64, text string) telegramsim.Message {
	s.t.Helper()
	var found telegramsim.Message
	s.wait("the bot to say "+strconv.Quote(text), func() bool {
		c, _ := s.sim.Chat(chat)
		for _, m := range c.Messages {
			if m.FromBot && strings.Contains(m.Text, text) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// count is how many of the bot's messages contain text.
func (s *telegramStory) count(chat int64, text string) int {
	c, _ := s.sim.Chat(chat)
	n := 0
	for _, m := range c.Messages {
		if m.FromBot && strings.Contains(m.Text, text) {
			n++
		}
	}
	return n
}

// history is the customer's messages in switchboard, oldest first.
func (s *telegramStory) history(chat int64) []switchboard.Message {
	return clientHistory(s.t, s.srv, switchboard.ClientKey{BotID: "livechat-demo", ChannelID: s.channel.ID, UserID: strconv.FormatInt(chat, 10)})
}

// userTexts are the contents of what the customer's client received.
func (s *telegramStory) userTexts(chat int64) []string {
	var out []string
	for _, m := range s.history(chat) {
		if m.Direction == switchboard.DirectionReceive {
			out = append(out, string(m.Payload.Content))
		}
	}
	return out
}

// inSession are the customer's texts in a session, in order.
func (s *telegramStory) inSession(chat int64, sessionID string) []string {
	var out []string
	for _, m := range s.history(chat) {
		if m.SessionID == sessionID && m.Sender.Kind == switchboard.SenderUser && m.Payload.ContentType == "text" {
			var c struct{ Text string }
			_ = json.Unmarshal(m.Payload.Content, &c)
			out = append(out, c.Text)
		}
	}
	return out
}

// deskAgent is the desk agent's HTTP client.
type deskAgent struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func signInDesk(t *testing.T, base string) *deskAgent {
	jar, _ := cookiejar.New(nil)
	a := &deskAgent{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	jsonCall(t, a.c, "POST", base+"/desk/api/login", nil, map[string]string{"email": agentEmail, "password": agentPassword}, http.StatusOK, &out)
	a.csrf = out.CSRFToken
	return a
}

func (a *deskAgent) do(path string, in any) {
	a.t.Helper()
	if in == nil {
		in = map[string]string{}
	}
	jsonCall(a.t, a.c, "POST", a.base+path, http.Header{"X-Csrf-Token": {a.csrf}}, in, http.StatusOK, nil)
}

// TestTelegramLivechatStory plays the livechat story on Telegram: the
// customer writes, presses the inline button, an agent on the desk
// answers and signs off, the customer taps the END button and the bot
// resumes; with forged and replayed webhooks, a photo, and a 429.
func TestTelegramLivechatStory(t *testing.T) {
	s := startTelegram(t)
	sim := s.sim

	// Creating the channel set the webhook, with a secret.
	if info := sim.WebhookInfo(); info["url"] != s.channel.WebhookURL || !strings.HasSuffix(s.channel.WebhookURL, "/v1/channels/"+s.channel.ID+"/webhook") {
		t.Fatalf("webhook info %v, channel %+v", info, s.channel)
	}
	if s.channel.Type != "telegram" || s.channel.Telegram["api_base"] != sim.URL() {
		t.Fatalf("the channel as the admin API shows it: %+v", s.channel)
	}

	// The customer starts the bot: the greeting, typing, and the menu as
	// an inline keyboard.
	chat := sim.UserStart("Ada", "ada_l")
	menu := s.botSays(chat, "put you in touch with a person")
	if len(menu.Keyboard) != 2 || menu.Keyboard[1][0].Text != "Talk to a human" || menu.Keyboard[1][0].CallbackData != switchboard.PayloadSessionStart {
		t.Fatalf("the menu's keyboard: %+v", menu.Keyboard)
	}
	s.botSays(chat, "Hi **Ada**") // the metadata came with the update (markdown is sent as it is)
	typing := false
	for _, c := range sim.Calls() {
		typing = typing || c.Method == "sendChatAction" && c.Status == 200
	}
	if !typing {
		t.Error("the bot's Typing() sent no chat action")
	}

	// Forged deliveries are refused and change nothing.
	before := len(s.userTexts(chat))
	forged := []byte(`{"update_id":1,"message":{"message_id":99,"date":1700000000,"chat":{"id":` + strconv.FormatInt(chat, 10) + `,"type":"private"},"from":{"id":1,"first_name":"Eve"},"text":"forged"}}`)
	for _, secret := range []string{"", "not-the-secret"} {
		req, _ := http.NewRequest("POST", s.channel.WebhookURL, bytes.NewReader(forged))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		res, err := slowClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a forged delivery (secret %q) → %d, want 401", secret, res.StatusCode)
		}
	}
	// The simulator's own wrong-secret switch: Telegram retries, then gives up.
	sw := sim.Switches()
	sw.WrongSecret = true
	sim.SetSwitches(sw)
	if _, err := sim.UserText(chat, "lost to a wrong secret"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	sw.WrongSecret = false
	sim.SetSwitches(sw)
	if got := s.userTexts(chat); len(got) != before {
		t.Fatalf("forged deliveries were recorded: %v", got[before:])
	}
	if msg, _ := sim.WebhookInfo()["last_error_message"].(string); !strings.Contains(msg, "401") {
		t.Fatalf("the webhook's last error: %q", msg)
	}

	// A replayed update is ignored: the bot answers once.
	up, _ := sim.UserText(chat, "what now?")
	s.botSays(chat, "Please click on one of the buttons.")
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sim.Replay(up); err != nil {
		t.Fatal(err)
	}
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // time for a second answer, if any
	if n := s.count(chat, "Please click on one of the buttons."); n != 1 {
		t.Fatalf("the replayed update was answered %d times", n)
	}

	// The customer presses "Talk to a human": the press is answered, and
	// the session starts.
	press, err := sim.UserPress(chat, "Talk to a human")
	if err != nil {
		t.Fatal(err)
	}
	s.wait("the press to be answered", func() bool { cb, _ := sim.Callback(press); return cb.Answered })
	s.botSays(chat, livechat.DefaultConnectingMessage)
	session := s.session()

	// The agent claims it and answers; the customer sees the agent's name.
	agent := signInDesk(t, s.srv.app.URL())
	agent.do("/desk/api/sessions/"+session.ID+"/claim", nil)
	agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "Hello Ada, Alex here. How can I help?"})
	if m := s.botSays(chat, "Hello Ada, Alex here."); !strings.HasPrefix(m.Text, agentName+":\n") {
		t.Fatalf("the agent's message: %q", m.Text)
	}

	// The customer writes and sends a photo: both reach the desk; the
	// photo through switchboard's signed media URL.
	sim.UserText(chat, "My parcel has not arrived")
	sim.UserFile(chat, "photo", "label.jpg", "image/jpeg", []byte("JPEG label"), "the label")
	var photoURL string
	s.wait("the customer's messages in the session", func() bool {
		texts := s.userTexts(chat)
		if len(texts) == 0 || !strings.Contains(strings.Join(texts, "\n"), "My parcel has not arrived") {
			return false
		}
		var c struct {
			URL string `json:"url"`
		}
		_ = json.Unmarshal([]byte(texts[len(texts)-1]), &c)
		photoURL = c.URL
		return photoURL != ""
	})
	mediaIs(t, photoURL, "JPEG label")

	// Telegram's flood control: the next send is answered 429 with
	// retry_after 2, and sent again no sooner.
	sim.Throttle(1, 2)
	agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "Let me check."})
	s.botSays(chat, "Let me check.")
	var limited, sent time.Time
	for _, c := range sim.Calls() {
		switch {
		case c.Status == http.StatusTooManyRequests && c.RetryAfter == 2:
			limited = c.At
		case !limited.IsZero() && sent.IsZero() && c.Method == "sendMessage" && c.Status == 200:
			sent = c.At
		}
	}
	if limited.IsZero() || sent.Sub(limited) < 2*time.Second {
		t.Fatalf("retry_after 2 not honoured: 429 at %v, sent at %v", limited, sent)
	}
	if n := s.count(chat, "Let me check."); n != 1 {
		t.Fatalf("the throttled message arrived %d times", n)
	}

	// The agent signs off; the customer taps the END button; the bot
	// resumes.
	agent.do("/desk/api/sessions/"+session.ID+"/signoff", nil)
	end := s.botSays(chat, livechat.DefaultEndMessage)
	if len(end.Keyboard) != 1 || end.Keyboard[0][0].Text != livechat.DefaultEndButtonLabel {
		t.Fatalf("the end message's keyboard: %+v", end.Keyboard)
	}
	press, err = sim.UserPress(chat, livechat.DefaultEndButtonLabel)
	if err != nil {
		t.Fatal(err)
	}
	s.botSays(chat, "Thanks for chatting with us today!")
	s.wait("the END press to be answered", func() bool { cb, _ := sim.Callback(press); return cb.Answered })

	// Deleting the channel deletes the webhook.
	if status, body := adminCall(t, s.srv, http.MethodDelete, "/v1/admin/channels/"+s.channel.ID, nil); status != http.StatusNoContent {
		t.Fatalf("delete the channel: %d %s", status, body)
	}
	if info := sim.WebhookInfo(); info["url"] != "" {
		t.Fatalf("the webhook after the channel's deletion: %v", info)
	}
}
