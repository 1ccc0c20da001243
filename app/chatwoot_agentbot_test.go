package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/simkit/simtest"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// agentBotStory is a server with the demo bot on a chatwoot channel: the
// simulator's agent bot posts its events to the channel's webhook URL.
type agentBotStory struct {
	t       *testing.T
	srv     *server
	sim     *chatwootsim.Server
	inbox   int64
	channel struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		WebhookURL string         `json:"webhook_url"`
		Chatwoot   map[string]any `json:"chatwoot"`
	}
}

func startAgentBot(t *testing.T, channelType string) *agentBotStory {
	return startAgentBotWith(t, channelType, switchboard.SystemClock{})
}

// startAgentBotWith is startAgentBot on switchboard's clock.
func startAgentBotWith(t *testing.T, channelType string, clock switchboard.Clock) *agentBotStory {
	s := &agentBotStory{t: t}
	s.sim = simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	s.inbox = s.sim.AddInbox("Website", channelType)
	s.srv = startServer(t, clock, nil)
	// A wrong token is refused when the channel is saved.
	status, raw := adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "chatwoot",
		"chatwoot": map[string]any{"url": s.sim.URL, "account_id": 1, "bot_token": "not-the-token"}})
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "chatwoot.bot_token was refused") {
		t.Fatalf("a wrong token: %d %s", status, raw)
	}
	status, raw = adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "chatwoot",
		"chatwoot": map[string]any{"url": s.sim.URL, "account_id": 1, "bot_token": chatwootsim.DefaultBot.Token, "inbox_id": s.inbox}})
	if status != http.StatusCreated || strings.Contains(string(raw), chatwootsim.DefaultBot.Token) {
		t.Fatalf("create the channel: %d %s (never the token)", status, raw)
	}
	decodeChannel(t, raw, &s.channel)
	if err := s.sim.ConnectBot(chatwootsim.DefaultBot.ID, s.channel.WebhookURL, s.inbox); err != nil {
		t.Fatal(err)
	}
	return s
}

// decodeChannel reads the channel of an answer of POST /v1/admin/channels
// into dst.
func decodeChannel(t *testing.T, raw []byte, dst any) {
	t.Helper()
	var out struct {
		Channel json.RawMessage `json:"channel"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Channel, dst); err != nil {
		t.Fatal(err)
	}
}

// wait waits for cond.
func (s *agentBotStory) wait(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; the conversations:\n%s", what, s.transcript())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// transcript is every conversation's messages, one a line, for failures.
func (s *agentBotStory) transcript() string {
	var b strings.Builder
	for _, cv := range s.sim.Conversations() {
		fmt.Fprintf(&b, "conversation %d (%s)\n", cv.DisplayID, cv.Status)
		for _, m := range cv.Messages {
			fmt.Fprintf(&b, "  %d %s %s %s %q %v\n", m.ID, m.TypeName(), m.SenderType, m.ContentType, m.Text(), m.ContentAttributes)
		}
	}
	return b.String()
}

// conversation is a conversation's snapshot.
func (s *agentBotStory) conversation(id int64) chatwootsim.Conversation {
	for _, cv := range s.sim.Conversations() {
		if cv.DisplayID == id {
			return cv
		}
	}
	s.t.Fatalf("no conversation %d", id)
	return chatwootsim.Conversation{}
}

// botMessages are the agent bot's messages in a conversation.
func (s *agentBotStory) botMessages(id int64) []chatwootsim.Message {
	var out []chatwootsim.Message
	for _, m := range s.conversation(id).Messages {
		if m.SenderType == "AgentBot" {
			out = append(out, m)
		}
	}
	return out
}

// botSays waits for the bot's message containing text.
func (s *agentBotStory) botSays(id int64, text string) chatwootsim.Message {
	s.t.Helper()
	var found chatwootsim.Message
	s.wait("the bot to say "+text, func() bool {
		for _, m := range s.botMessages(id) {
			if strings.Contains(m.Text(), text) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// settle waits until the simulator delivered everything and the server ran it.
func (s *agentBotStory) settle() {
	s.t.Helper()
	simtest.WaitIdle(s.t, s.sim)
	time.Sleep(500 * time.Millisecond)
}

func TestChatwootAgentBotStory(t *testing.T) {
	for _, channelType := range []string{"Channel::WebWidget", "Channel::Whatsapp"} {
		t.Run(channelType, func(t *testing.T) {
			s := startAgentBot(t, channelType)
			if s.channel.Type != "chatwoot" || !strings.Contains(s.channel.WebhookURL, "/webhook?token=") || s.channel.Chatwoot["url"] != s.sim.URL {
				t.Fatalf("the channel as the admin API shows it: %+v", s.channel)
			}

			// The contact writes: the conversation is pending (the bot's), the
			// bot greets them by name and shows its menu as an input_select.
			conv, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada", Email: "ada@example.com", CustomAttributes: map[string]any{"plan": "gold"}}, "hello")
			if err != nil {
				t.Fatal(err)
			}
			if st := s.conversation(conv).Status; st != "pending" {
				t.Fatalf("a new conversation of the bot's inbox is %s, want pending", st)
			}
			s.botSays(conv, "Ada")
			menu := s.botSays(conv, "put you in touch with a person")
			items, _ := json.Marshal(menu.ContentAttributes["items"])
			if menu.ContentType != "input_select" || !strings.Contains(string(items), `"value":"`+switchboard.PayloadSessionStart+`"`) {
				t.Fatalf("the menu: %s %s", menu.ContentType, items)
			}

			// The same event again (Chatwoot's agent bot webhooks retry) is a
			// duplicate; a forged one, without the URL's token, is refused.
			var last chatwootsim.Message
			for _, m := range s.conversation(conv).Messages {
				if m.MessageType == chatwootsim.TypeIncoming {
					last = m
				}
			}
			body, _ := json.Marshal(map[string]any{"event": "message_created", "id": last.ID, "content": "hello", "message_type": "incoming",
				"account": map[string]any{"id": 1}, "inbox": map[string]any{"id": s.inbox}, "conversation": map[string]any{"id": conv, "status": "pending"}})
			for url, want := range map[string]int{s.channel.WebhookURL: 200, strings.Split(s.channel.WebhookURL, "?")[0]: 401, s.channel.WebhookURL + "x": 401} {
				res, err := slowClient.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				var answer map[string]any
				_ = json.NewDecoder(res.Body).Decode(&answer)
				res.Body.Close()
				if res.StatusCode != want || want == 200 && answer["duplicates"] != float64(1) {
					t.Fatalf("POST %s: %d %v, want %d (a duplicate)", url, res.StatusCode, answer, want)
				}
			}

			// An agent takes the conversation (open): whatever the contact
			// writes, the bot stays silent.
			before := len(s.botMessages(conv))
			if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActReopen}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "is anyone there?"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.sim.Reply(conv, "Hi Ada, Alex here"); err != nil {
				t.Fatal(err)
			}
			s.settle()
			if n := len(s.botMessages(conv)); n != before {
				t.Fatalf("the bot spoke in an open conversation: %d messages, was %d", n, before)
			}

			// Given back to the bot (pending), a choice of the menu comes back
			// as its payload.
			if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActResolve}); err != nil {
				t.Fatal(err)
			}
			conv2, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Bob"}, "hi")
			if err != nil {
				t.Fatal(err)
			}
			menu = s.botSays(conv2, "put you in touch with a person")
			var other string
			for _, it := range menu.ContentAttributes["items"].([]any) {
				if v := it.(map[string]any)["value"].(string); v != switchboard.PayloadSessionStart {
					other = v
				}
			}
			n := len(s.botMessages(conv2))
			if err := s.sim.Submit(1, conv2, menu.ID, other); err != nil {
				t.Fatal(err)
			}
			s.wait("the bot to answer the choice", func() bool { return len(s.botMessages(conv2)) > n })
		})
	}
}
