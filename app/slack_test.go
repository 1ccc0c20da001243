package app_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/slack"
	"switchboard/channel/slack/slacksim"
	"switchboard/internal/simkit"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// slackStory is a server with the demo bot, a Slack channel on a
// simulated workspace whose app's request URLs are the channel's webhook,
// and an agent on the desk.
type slackStory struct {
	// story's settle waits for the deliveries and the outbox.
	*story
	sim     *slacksim.Sim
	channel struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Name       string         `json:"name"`
		WebhookURL string         `json:"webhook_url"`
		Slack      map[string]any `json:"slack"`
	}
}

// startSlack starts the simulator (Slack's retries compressed) and the
// server with the bot's livechat settings (nil: the desk), creates the
// channel with the admin API and saves its webhook as the app's request
// URL, which Slack verifies (url_verification).
func startSlack(t *testing.T, settings *livechat.Settings) *slackStory {
	sim := slacksim.New(slacksim.Config{RetryDelays: []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond}})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	s := &slackStory{sim: sim, story: &story{t: t, srv: startServer(t, switchboard.SystemClock{}, settings), waitDeliveries: sim.WaitDeliveries}}
	status, raw := adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "slack",
		"slack": map[string]string{"bot_token": slacksim.DefaultBotToken, "signing_secret": slacksim.DefaultSigningSecret, "api_base": s.sim.URL() + "/api"}})
	if status != http.StatusCreated || strings.Contains(string(raw), "SimulatedSlackBotToken") || strings.Contains(string(raw), slacksim.DefaultSigningSecret) {
		t.Fatalf("create the channel: %d %s (never the token or the secret)", status, raw)
	}
	decodeChannel(t, raw, &s.channel)
	if err := s.sim.Subscribe(context.Background(), s.channel.WebhookURL); err != nil {
		t.Fatalf("Slack's url_verification of the channel's webhook: %v", err)
	}
	return s
}

// wait waits for cond, checked every 50 ms, 20 seconds at most.
func (s *slackStory) wait(what string, cond func() bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.sim.Wait(ctx, cond); err != nil {
		s.t.Fatalf("timed out waiting for %s; the Web API calls: %+v; deliveries %+v", what, s.sim.Calls(), s.sim.Deliveries())
	}
}

// botSays waits for the bot's message that contains text in a
// conversation (in the thread of thread when not "").
func (s *slackStory) botSays(conv, thread, text string) slacksim.Message {
	s.t.Helper()
	return s.botSaysAgain(conv, thread, text, 1)
}

// botSaysAgain waits for the bot's nth message that contains text.
func (s *slackStory) botSaysAgain(conv, thread, text string, nth int) slacksim.Message {
	s.t.Helper()
	var found slacksim.Message
	s.wait("the bot to say "+strconv.Quote(text), func() bool {
		c, _ := s.sim.Conversation(conv)
		n := 0
		for _, m := range c.Messages {
			if m.Bot && m.ThreadTS == thread && strings.Contains(m.Text, text) {
				if n++; n == nth {
					found = m
					return true
				}
			}
		}
		return false
	})
	return found
}

// count is how many of the bot's messages contain text.
func (s *slackStory) count(conv, text string) int {
	c, _ := s.sim.Conversation(conv)
	n := 0
	for _, m := range c.Messages {
		if m.Bot && strings.Contains(m.Text, text) {
			n++
		}
	}
	return n
}

// press presses a button of the bot's message.
func (s *slackStory) press(user, conv string, m slacksim.Message, button string) {
	s.t.Helper()
	if err := s.sim.UserPress(user, conv, m.TS, button); err != nil {
		s.t.Fatal(err)
	}
}

// talking makes userID the client story's methods read (history,
// liveSession).
func (s *slackStory) talking(userID string) {
	s.user = switchboard.ClientKey{BotID: "livechat-demo", ChannelID: s.channel.ID, UserID: userID}
}

// fromUser are the user's events a client got, as their contents.
func (s *slackStory) fromUser(userID string) []string {
	s.talking(userID)
	var out []string
	for _, m := range s.history() {
		if m.Sender.Kind == switchboard.SenderUser {
			out = append(out, string(m.Payload.Content))
		}
	}
	return out
}

// TestSlackLivechatStory plays the livechat story in a Slack DM through
// real HTTP: Ada writes, presses a button, asks for a human; the agent on
// the desk answers and signs off; she presses the END button and the bot
// resumes. In #general, her message starts a conversation in its thread.
// The bot's own posts, which Slack sends back as events, are ignored.
func TestSlackLivechatStory(t *testing.T) {
	s := startSlack(t, nil)
	sim := s.sim
	if s.channel.Type != "slack" || s.channel.Name != "Slack" || s.channel.Slack["api_base"] != sim.URL()+"/api" || !strings.HasSuffix(s.channel.WebhookURL, "/v1/channels/"+s.channel.ID+"/webhook") {
		t.Fatalf("the channel as the admin API shows it: %+v", s.channel)
	}
	ada := sim.AddUser(slacksim.User{Name: "ada"})
	if _, err := sim.UserText(ada.ID, "Hi"); err != nil {
		t.Fatal(err)
	}
	menu := s.botSays(ada.DM, "", "put you in touch with a person")
	if len(menu.Buttons) != 2 || menu.Buttons[1].Text != "Talk to a human" || menu.Buttons[1].Value != switchboard.PayloadSessionStart {
		t.Fatalf("the menu's buttons: %+v", menu.Buttons)
	}
	s.press(ada.ID, ada.DM, menu, "Opening hours")
	s.botSays(ada.DM, "", "We are open Monday to Friday")
	menu = s.botSaysAgain(ada.DM, "", "put you in touch", 2)

	// "Talk to a human": the session starts; the agent claims it and
	// answers, signed with their name.
	s.press(ada.ID, ada.DM, menu, "Talk to a human")
	s.botSays(ada.DM, "", livechat.DefaultConnectingMessage)
	s.talking(ada.DM)
	session := s.liveSession()
	agent := signInDesk(t, s.srv.app.URL())
	agent.do("/desk/api/sessions/"+session.ID+"/claim", nil)
	agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "Hello Ada, Alex here. <How> can I help?"})
	if m := s.botSays(ada.DM, "", "Hello Ada, Alex here."); m.Text != "*"+agentName+"*\nHello Ada, Alex here. &lt;How&gt; can I help?" {
		t.Fatalf("the agent's message: %q", m.Text)
	}
	if _, err := sim.UserText(ada.ID, "My parcel has not arrived"); err != nil {
		t.Fatal(err)
	}
	s.wait("Ada's message in the session", func() bool {
		for _, m := range s.history() {
			if m.SessionID == session.ID && m.Sender.Kind == switchboard.SenderUser && strings.Contains(string(m.Payload.Content), "My parcel has not arrived") {
				return true
			}
		}
		return false
	})

	// The sign-off: the END button; her press gives her back to the bot.
	agent.do("/desk/api/sessions/"+session.ID+"/signoff", nil)
	end := s.botSays(ada.DM, "", livechat.DefaultEndMessage)
	if len(end.Buttons) != 1 || end.Buttons[0].Text != livechat.DefaultEndButtonLabel {
		t.Fatalf("the end message's buttons: %+v", end.Buttons)
	}
	s.press(ada.ID, ada.DM, end, livechat.DefaultEndButtonLabel)
	s.botSays(ada.DM, "", "Thanks for chatting with us today!")

	// In a channel: her message starts a conversation the bot answers in
	// its thread, and a press there continues it.
	posted, err := sim.UserPost(slacksim.Post{User: ada.ID, Channel: slacksim.General, Text: "<@" + slacksim.BotUserID + "> hello"})
	if err != nil {
		t.Fatal(err)
	}
	threadMenu := s.botSays(slacksim.General, posted.TS, "put you in touch")
	s.press(ada.ID, slacksim.General, threadMenu, "Opening hours")
	s.botSays(slacksim.General, posted.TS, "We are open Monday to Friday")
	if got := s.fromUser(slacksim.General + ":" + posted.TS); len(got) != 2 || !strings.Contains(got[0], `"text":"hello"`) {
		t.Errorf("the thread's conversation got %q, want her text (the mention taken out) and her press", got)
	}

	// Every delivery was taken (a retry, when a slow machine answers
	// after Slack's 3 seconds, is a duplicate); the bot's own posts came
	// back as events and became nothing: Ada's DM holds her 5 events only.
	s.settle()
	taken := map[string]bool{}
	for _, d := range sim.Deliveries() {
		taken[d.EventID] = taken[d.EventID] || d.OK()
	}
	for id, ok := range taken {
		if !ok {
			t.Errorf("the delivery %s was never taken", id)
		}
	}
	if got := s.fromUser(ada.DM); len(got) != 5 {
		t.Errorf("Ada's DM holds %d user events, want her 2 texts and 3 presses: %q", len(got), got)
	}
}

// TestSlackRefusesForgedStaleAndReplayed: deliveries signed with another
// secret, or six minutes ago, are refused (Slack retries them, refused
// again) and change nothing; an event delivered again (Slack's retry after
// a timeout) is a duplicate: the bot answers once.
func TestSlackRefusesForgedStaleAndReplayed(t *testing.T) {
	s := startSlack(t, nil)
	sim := s.sim
	ada := sim.AddUser(slacksim.User{Name: "ada"})
	if _, err := sim.UserText(ada.ID, "Hi"); err != nil {
		t.Fatal(err)
	}
	s.botSays(ada.DM, "", "put you in touch")
	s.settle()
	s.talking(ada.DM)
	before := len(s.history())

	// Posted by hand: no signature, another secret, an old timestamp.
	body := []byte(`{"type":"event_callback","team_id":"` + slacksim.TeamID + `","event_id":"EvFORGED","event":{"type":"message","channel":"` + ada.DM + `","channel_type":"im","user":"` + ada.ID + `","text":"forged","ts":"1700000000.000100"}}`)
	now := time.Now()
	for name, h := range map[string]http.Header{
		"unsigned":      {},
		"other secret":  slackHeaders("another-signing-secret-000000", now, body),
		"six minutes":   slackHeaders(slacksim.DefaultSigningSecret, now.Add(-6*time.Minute), body),
		"in the future": slackHeaders(slacksim.DefaultSigningSecret, now.Add(6*time.Minute), body),
	} {
		req, _ := http.NewRequest(http.MethodPost, s.channel.WebhookURL, bytes.NewReader(body))
		req.Header = h
		req.Header.Set("Content-Type", "application/json")
		res, err := slowClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, res.StatusCode)
		}
	}
	// The same body, signed now: taken (the check is the signature's).
	req, _ := http.NewRequest(http.MethodPost, s.channel.WebhookURL, bytes.NewReader(body))
	req.Header = slackHeaders(slacksim.DefaultSigningSecret, now, body)
	req.Header.Set("Content-Type", "application/json")
	res, err := slowClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("a signed delivery: %d", res.StatusCode)
	}
	s.botSays(ada.DM, "", "Please click on one of the buttons.")
	s.settle()
	before = len(s.history())

	// Slack's own deliveries, forged then stale: each tried four times,
	// each refused.
	for _, sw := range []slacksim.Switches{{Forge: true}, {Stale: true}} {
		sim.SetSwitches(sw)
		lost, err := sim.UserText(ada.ID, "lost")
		if err != nil {
			t.Fatal(err)
		}
		s.settle()
		sim.SetSwitches(slacksim.Switches{})
		refused := 0
		for _, d := range sim.Deliveries() {
			if d.EventID == lost.EventID && d.Status == http.StatusUnauthorized {
				refused++
			}
		}
		if refused != 4 {
			t.Errorf("%+v: the event was refused %d times, want 4 (the delivery and Slack's 3 retries)", sw, refused)
		}
	}
	if after := len(s.history()); after != before {
		t.Errorf("refused deliveries changed the history from %d to %d messages", before, after)
	}

	// A replayed event: answered 200, and the bot answers once.
	again, err := sim.UserText(ada.ID, "what now?")
	if err != nil {
		t.Fatal(err)
	}
	s.wait("the bot's second answer", func() bool { return s.count(ada.DM, "Please click on one of the buttons.") == 2 })
	s.settle()
	if err := sim.Replay(again.EventID); err != nil {
		t.Fatal(err)
	}
	s.settle()
	if n := s.count(ada.DM, "Please click on one of the buttons."); n != 2 {
		t.Errorf("the replayed event was answered again: %d answers", n)
	}
	taken := 0
	for _, d := range sim.Deliveries() {
		if d.EventID == again.EventID && d.Status == http.StatusOK {
			taken++
		}
	}
	if taken != 2 {
		t.Errorf("the event and its replay were answered 200 %d times, want 2", taken)
	}
}

// slackHeaders sign body as Slack does, at.
func slackHeaders(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	return http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {slack.Signature(secret, ts, body)}}
}

// TestSlackWithGorgias: Ada on Slack, the agent on Gorgias (the
// simulator): her messages reach the ticket, the agent's reply reaches her
// DM, the sign-off shows the END button, and her press gives her back to
// the bot.
func TestSlackWithGorgias(t *testing.T) {
	gsim, err := gorgiassim.Start("", gorgiassim.Config{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gsim.Close() })
	s := startSlack(t, gorgiasSettings(gsim))
	token, err := s.srv.app.Livechat.Token(context.Background(), "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gsim.AddIntegration(gorgiassim.HTTPHooks{URL: gorgias.ReceiveURL(s.srv.app.URL(), token), Triggers: map[string]bool{}}); err != nil {
		t.Fatal(err)
	}
	ada := s.sim.AddUser(slacksim.User{Name: "ada"})
	if _, err := s.sim.UserText(ada.ID, "Hi"); err != nil {
		t.Fatal(err)
	}
	menu := s.botSays(ada.DM, "", "put you in touch with a person")
	s.press(ada.ID, ada.DM, menu, "Talk to a human")
	s.talking(ada.DM)
	session := s.liveSession()
	if _, err := s.sim.UserText(ada.ID, "My order did not arrive"); err != nil {
		t.Fatal(err)
	}
	s.wait("Ada's message on the ticket", func() bool {
		tk, ok := gsim.TicketByExternalID(session.ID)
		return ok && slices.Contains(userTexts(tk), "My order did not arrive")
	})
	tk, _ := gsim.TicketByExternalID(session.ID)
	if _, err := gsim.Reply(tk.ID, "It ships today."); err != nil {
		t.Fatal(err)
	}
	if m := s.botSays(ada.DM, "", "It ships today."); !strings.HasSuffix(m.Text, "*\nIt ships today.") {
		t.Errorf("the Gorgias reply came as %q, want the agent's name above", m.Text)
	}
	if _, err := gsim.Reply(tk.ID, "Anything else? LIVECHAT_SESSION_END"); err != nil {
		t.Fatal(err)
	}
	end := s.botSays(ada.DM, "", livechat.DefaultEndMessage)
	if len(end.Buttons) != 1 || end.Buttons[0].Text != livechat.DefaultEndButtonLabel {
		t.Fatalf("the end message's buttons: %+v", end.Buttons)
	}
	s.press(ada.ID, ada.DM, end, livechat.DefaultEndButtonLabel)
	s.botSays(ada.DM, "", "Thanks for chatting with us today!")
}

// TestSlackDuplicatedDeliveries: with every delivery sent twice (events
// and presses alike), each of Ada's messages is one turn of the bot.
func TestSlackDuplicatedDeliveries(t *testing.T) {
	s := startSlack(t, nil)
	s.sim.SetSwitches(slacksim.Switches{Switches: simkit.Switches{Duplicate: 1}})
	ada := s.sim.AddUser(slacksim.User{Name: "ada"})
	if _, err := s.sim.UserText(ada.ID, "Hi"); err != nil {
		t.Fatal(err)
	}
	menu := s.botSays(ada.DM, "", "put you in touch")
	s.press(ada.ID, ada.DM, menu, "Opening hours")
	s.botSaysAgain(ada.DM, "", "put you in touch", 2)
	s.settle()
	for text, want := range map[string]int{"I am the switchboard demo bot": 1, "We are open": 1, "put you in touch": 2} {
		if n := s.count(ada.DM, text); n != want {
			t.Errorf("the bot said %q %d times, want %d", text, n, want)
		}
	}
	if got := s.fromUser(ada.DM); len(got) != 2 {
		t.Errorf("Ada's DM holds %d user events, want her text and her press: %q", len(got), got)
	}
}
