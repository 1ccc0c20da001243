package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/simkit"
	"switchboard/internal/simkit/simtest"
	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// sessions are the livechat sessions of the server, newest first.
func (s *agentBotStory) sessions() []switchboard.Session {
	s.t.Helper()
	var out []switchboard.Session
	ctx := context.Background()
	err := s.srv.app.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		out, err = tx.ListSessions(ctx, switchboard.SessionFilter{})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// status waits for a conversation's status in Chatwoot.
func (s *agentBotStory) status(conv int64, want string) {
	s.t.Helper()
	s.wait("conversation status "+want, func() bool { return s.conversation(conv).Status == want })
}

// choose clicks the option value of the bot's last input_select offering
// it and not answered yet, as the contact in the widget.
func (s *agentBotStory) choose(conv int64, value string) {
	s.t.Helper()
	var menu chatwootsim.Message
	s.wait("an input_select offering "+value, func() bool {
		for _, m := range s.botMessages(conv) {
			if m.ContentType != "input_select" || m.ContentAttributes["submitted_values"] != nil {
				continue
			}
			for _, it := range m.ContentAttributes["items"].([]any) {
				if it.(map[string]any)["value"] == value {
					menu = m
				}
			}
		}
		return menu.ID != 0
	})
	if err := s.sim.Submit(1, conv, menu.ID, value); err != nil {
		s.t.Fatal(err)
	}
}

// handOff clicks the menu's "Talk to a human": the conversation is open.
func (s *agentBotStory) handOff(conv int64) switchboard.Session {
	s.t.Helper()
	before := len(s.sessions())
	s.choose(conv, switchboard.PayloadSessionStart)
	s.status(conv, "open")
	s.wait("the session", func() bool { return len(s.sessions()) > before })
	sess := s.sessions()[0]
	if sess.Platform != "chatwoot-inbox" || !sess.Live() {
		s.t.Fatalf("the session: %+v", sess)
	}
	return sess
}

// botCount waits for the bot's messages to settle and counts them.
func (s *agentBotStory) botCount(conv int64) int {
	s.settle()
	return len(s.botMessages(conv))
}

// neverTalkedOver checks that, while the conversation was an agent's
// (after an "open" activity and until the next "pending"), the agent bot
// posted only the connecting message and the sign-off button, and that a
// bot turn came only after the conversation was pending again.
func (s *agentBotStory) neverTalkedOver(conv int64) {
	s.t.Helper()
	cv := s.conversation(conv)
	for i, status := range cv.Statuses("pending") {
		m := cv.Messages[i]
		text := m.Text()
		if m.SenderType == "AgentBot" && status != "pending" && !strings.Contains(text, livechat.DefaultConnectingMessage) && !strings.Contains(text, livechat.DefaultEndMessage) {
			s.t.Fatalf("the bot said %q while the conversation was %s", text, status)
		}
	}
}

// TestChatwootAgentBotHandoff is the whole story on a web widget inbox
// and a WhatsApp inbox: the bot greets and shows buttons; "Talk to a
// human" opens the conversation to the agents; the contact and the agent
// talk without the bot; the agent's sign-off becomes the end button,
// whose click gives the conversation back (pending) and the bot resumes
// at its hold; then an agent resolving, then the idle timeout, do the same.
func TestChatwootAgentBotHandoff(t *testing.T) {
	for _, channelType := range []string{"Channel::WebWidget", "Channel::Whatsapp"} {
		t.Run(channelType, func(t *testing.T) {
			clock := testclock.New(time.Now())
			s := startAgentBotWith(t, channelType, clock)
			conv, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "hello")
			if err != nil {
				t.Fatal(err)
			}
			s.botSays(conv, "Hi **Ada**")

			// The handoff: open, with the connecting message; the bot is
			// silent whatever the contact and the agent write.
			sess := s.handOff(conv)
			s.botSays(conv, livechat.DefaultConnectingMessage)
			n := s.botCount(conv)
			s.talk(conv, "Ada", "my order is late", "Hi Ada, Alex here. Let me check.")
			if got := s.botCount(conv); got != n {
				t.Fatalf("the bot posted %d messages during the session", got-n)
			}
			if st := s.conversation(conv).Status; st != "open" {
				t.Fatalf("the conversation is %s during the session", st)
			}

			// The sign-off: the agent's canned response stays as the agent
			// wrote it, and the agent bot adds the end button.
			if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActCanned}); err != nil {
				t.Fatal(err)
			}
			end := s.botSays(conv, livechat.DefaultEndMessage)
			if end.ContentType != "input_select" {
				t.Fatalf("the end question: %+v", end)
			}
			s.choose(conv, switchboard.PayloadSessionEnd)
			s.status(conv, "pending")
			s.wait("the bot to resume", func() bool { return strings.Count(s.allBotText(conv), "Thanks for chatting") == 1 })
			if got := s.session(sess.ID); got.EndReason != switchboard.EndUser {
				t.Fatalf("the session ended with %q, want %q", got.EndReason, switchboard.EndUser)
			}

			// The agent resolves: END with the reason, pending again.
			sess = s.handOff(conv)
			if err := s.sim.Resolve(conv); err != nil {
				t.Fatal(err)
			}
			s.wait("the bot to resume after the resolve", func() bool { return strings.Count(s.allBotText(conv), "Thanks for chatting") == 2 })
			s.status(conv, "pending")
			if got := s.session(sess.ID); got.EndReason != switchboard.EndAgent {
				t.Fatalf("the session ended with %q, want %q", got.EndReason, switchboard.EndAgent)
			}

			// Nobody writes for 30 minutes: EXPIRED, pending again.
			sess = s.handOff(conv)
			clock.Advance(31 * time.Minute)
			s.wait("the expiry", func() bool { return strings.Contains(s.allBotText(conv), "timed out") })
			s.status(conv, "pending")
			if got := s.session(sess.ID); got.EndReason != switchboard.EndExpired {
				t.Fatalf("the session ended with %q, want %q", got.EndReason, switchboard.EndExpired)
			}
			s.settle()
			s.neverTalkedOver(conv)
		})
	}
}

// talk is the contact writing in the conversation, then an agent
// replying.
func (s *agentBotStory) talk(conv int64, contact, text, reply string) {
	s.t.Helper()
	if _, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: contact}, text); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.sim.Reply(conv, reply); err != nil {
		s.t.Fatal(err)
	}
}

// session reads a session.
func (s *agentBotStory) session(id string) switchboard.Session {
	s.t.Helper()
	for _, x := range s.sessions() {
		if x.ID == id {
			return x
		}
	}
	s.t.Fatalf("no session %s", id)
	return switchboard.Session{}
}

// allBotText is the text of every message of the agent bot.
func (s *agentBotStory) allBotText(conv int64) string {
	var b strings.Builder
	for _, m := range s.botMessages(conv) {
		b.WriteString(m.Text() + "\n")
	}
	return b.String()
}

// TestChatwootAgentBotHandoffUnderChaos runs the handoff with every
// event delivered twice, reordered and delayed, and Chatwoot's API down
// for 30 seconds (switchboard's clock) when the conversation is handed
// over and again when it is handed back: nothing is lost or doubled, the
// toggles and the bot's messages come in order, and the bot never talks
// while an agent has the conversation.
func TestChatwootAgentBotHandoffUnderChaos(t *testing.T) {
	clock := testclock.New(time.Now())
	s := startAgentBotWith(t, "Channel::WebWidget", clock)
	s.sim.SetChaos(simkit.Chaos{Duplicate: 1, Reorder: 3, Delay: 200 * time.Millisecond})
	conv, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "put you in touch with a person")

	// Chatwoot is down when the contact asks for a person: the session
	// waits, the contact's messages go to nobody but the session.
	s.sim.SetOutage(true)
	before := len(s.sessions())
	s.choose(conv, switchboard.PayloadSessionStart)
	s.wait("the session", func() bool { return len(s.sessions()) > before })
	if _, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "hello? anyone?"); err != nil {
		t.Fatal(err)
	}
	outage(s, clock, conv, "open")
	s.botSays(conv, livechat.DefaultConnectingMessage)

	if _, err := s.sim.Reply(conv, "Alex here, sorry for the wait."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActCanned}); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, livechat.DefaultEndMessage)

	// Down again when the contact ends: the bot's answer waits behind the
	// conversation's return to pending.
	s.sim.SetOutage(true)
	s.choose(conv, switchboard.PayloadSessionEnd)
	s.wait("the session's end", func() bool { return !s.sessions()[0].Live() })
	// The contact writes again while the conversation is still open in
	// Chatwoot (the hand-back waits for the API): the bot has them back,
	// and answers after the conversation is pending again.
	if _, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "one more thing"); err != nil {
		t.Fatal(err)
	}
	outage(s, clock, conv, "pending")
	s.botSays(conv, "Thanks for chatting")
	s.botSays(conv, "Please click on one of the buttons.")
	s.sim.SetChaos(simkit.Chaos{})
	s.settle()
	s.neverTalkedOver(conv)
	text := s.allBotText(conv)
	for _, once := range []string{livechat.DefaultConnectingMessage, livechat.DefaultEndMessage, "Thanks for chatting", "Please click on one of the buttons."} {
		if n := strings.Count(text, once); n != 1 {
			t.Errorf("the bot said %q %d times", once, n)
		}
	}
	if got := s.sessions(); len(got) != 1 || got[0].EndReason != switchboard.EndUser {
		t.Fatalf("sessions: %+v", got)
	}
}

// outage lets 30 seconds of switchboard's clock pass with Chatwoot's API
// down, in steps that let the outbox try again, checks that the
// conversation kept its status, then ends the outage and lets the clock
// run until the conversation has the status want.
func outage(s *agentBotStory, clock *testclock.Clock, conv int64, want string) {
	s.t.Helper()
	was := s.conversation(conv).Status
	for range 6 {
		time.Sleep(100 * time.Millisecond)
		clock.Advance(5 * time.Second)
	}
	if st := s.conversation(conv).Status; st != was {
		s.t.Fatalf("the conversation went from %s to %s during the outage", was, st)
	}
	s.sim.SetOutage(false)
	// Past the backoff the failures earned (at most 20 s after 30 s of
	// failures), and no further: a session may take 2 minutes to open.
	advanced := 0
	s.wait("conversation status "+want, func() bool {
		if advanced < 45 {
			clock.Advance(time.Second)
			advanced++
		}
		return s.conversation(conv).Status == want
	})
}

// chatwootCSMLBot is a bot as Chatwoot's removed CSML bot type kept it (the
// agent bot's bot_config.csml_content) in the shape its integration sent
// to the CSML engine (Integrations::Csml::ProcessorService#bot_payload):
// one flow, chatwoot_bot_flow; the contact in _metadata.contact; a click
// on an option read as the event; goto end hands over to the agents.
const chatwootCSMLBot = `start:
  say "Hello {{_metadata.contact.name}}! Welcome to Acme support."
  say Question(
    "How can we help you today?",
    buttons=[
      Button("Track my order", payload="track"),
      Button("Talk to an agent", payload="agent")
    ]
  )
  hold
  if (event == "track") {
    say "Your order left our warehouse yesterday."
    goto start
  }
  if (event == "agent") {
    say "Let me find someone from the team for you."
    goto end
  }
  say "Sorry, I did not get that."
  goto start
`

// TestChatwootCSMLBotMovesUnchanged imports a bot of Chatwoot's CSML
// integration as it stored it, through the admin API, and runs it on a
// chatwoot channel with handoff_on_end: greeting, options, its goto end
// handing the conversation to the agents, the sign-off, and the bot back.
func TestChatwootCSMLBotMovesUnchanged(t *testing.T) {
	s := &agentBotStory{t: t}
	s.sim = simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	s.inbox = s.sim.AddInbox("Website", "Channel::WebWidget")
	s.srv = startServer(t, switchboard.SystemClock{}, nil)
	status, raw := adminCall(t, s.srv, http.MethodPost, "/v1/admin/bots", map[string]any{
		"id": "chatwoot-csml-bot-1", "name": "chatwoot-csml-bot-1", "default_flow": "chatwoot_bot_flow",
		"flows": []map[string]any{{"id": "chatwoot-csml-bot-flow-1-inbox-1", "name": "chatwoot_bot_flow", "content": chatwootCSMLBot, "commands": []string{}}},
	})
	if status != http.StatusCreated {
		t.Fatalf("import: %d %s", status, raw)
	}
	status, raw = adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "chatwoot-csml-bot-1", "type": "chatwoot",
		"chatwoot": map[string]any{"url": s.sim.URL, "account_id": 1, "bot_token": chatwootsim.DefaultBot.Token, "handoff_on_end": true}})
	if status != http.StatusCreated || !strings.Contains(string(raw), `"handoff_on_end":true`) {
		t.Fatalf("create the channel: %d %s", status, raw)
	}
	decodeChannel(t, raw, &s.channel)
	if err := s.sim.ConnectBot(chatwootsim.DefaultBot.ID, s.channel.WebhookURL, s.inbox); err != nil {
		t.Fatal(err)
	}

	conv, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada Lovelace"}, "hi")
	if err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "Hello Ada Lovelace!")
	s.choose(conv, "track")
	s.botSays(conv, "left our warehouse")
	s.choose(conv, "agent")
	s.status(conv, "open")
	s.botSays(conv, "Let me find someone")
	s.botSays(conv, livechat.DefaultConnectingMessage)
	n := s.botCount(conv)
	s.talk(conv, "Ada Lovelace", "hello?", "Hi Ada, Alex here.")
	if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActCanned}); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, livechat.DefaultEndMessage)
	if got := s.botCount(conv); got != n+1 {
		t.Fatalf("the bot posted %d messages during the session, want the end question only", got-n)
	}
	s.choose(conv, switchboard.PayloadSessionEnd)
	s.status(conv, "pending")
	s.wait("the bot back", func() bool { return strings.Count(s.allBotText(conv), "Welcome to Acme support") == 3 })
	s.settle()
	s.neverTalkedOver(conv)
}

// TestChatwootAgentBotHandoffSurvivesRestart stops switchboard while
// Chatwoot's API is down and the handover waits: started again, it hands
// the conversation over once, and gives it back once.
func TestChatwootAgentBotHandoffSurvivesRestart(t *testing.T) {
	clock := testclock.New(time.Now())
	s := startAgentBotWith(t, "Channel::Whatsapp", clock)
	conv, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "put you in touch with a person")
	s.sim.SetOutage(true)
	before := len(s.sessions())
	s.choose(conv, switchboard.PayloadSessionStart)
	s.wait("the session", func() bool { return len(s.sessions()) > before })
	s.srv.stop()
	s.srv.start()
	outage(s, clock, conv, "open")
	s.botSays(conv, livechat.DefaultConnectingMessage)
	if _, err := s.sim.Act(conv, chatwootsim.Action{Kind: chatwootsim.ActCanned}); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, livechat.DefaultEndMessage)
	s.sim.SetOutage(true)
	s.choose(conv, switchboard.PayloadSessionEnd)
	s.wait("the session's end", func() bool { return !s.sessions()[0].Live() })
	s.srv.stop()
	s.srv.start()
	outage(s, clock, conv, "pending")
	s.botSays(conv, "Thanks for chatting")
	s.settle()
	s.neverTalkedOver(conv)
	text := s.allBotText(conv)
	for _, once := range []string{livechat.DefaultConnectingMessage, livechat.DefaultEndMessage, "Thanks for chatting"} {
		if n := strings.Count(text, once); n != 1 {
			t.Errorf("the bot said %q %d times", once, n)
		}
	}
}
