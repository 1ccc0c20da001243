package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard"
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
	status := "pending"
	for _, m := range s.conversation(conv).Messages {
		text := m.Text()
		switch {
		case m.MessageType == chatwootsim.TypeActivity && strings.Contains(text, "reopened"):
			status = "open"
		case m.MessageType == chatwootsim.TypeActivity && strings.Contains(text, "marked pending"):
			status = "pending"
		case m.MessageType == chatwootsim.TypeActivity && strings.Contains(text, "marked resolved"):
			status = "resolved"
		case m.SenderType == "AgentBot" && status != "pending" && !strings.Contains(text, livechat.DefaultConnectingMessage) && !strings.Contains(text, livechat.DefaultEndMessage):
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
			if _, err := s.sim.ContactWrites(s.inbox, chatwootsim.Contact{Name: "Ada"}, "my order is late"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.sim.Reply(conv, "Hi Ada, Alex here. Let me check."); err != nil {
				t.Fatal(err)
			}
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
