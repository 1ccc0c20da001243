package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/livechat"
)

// TestWhatsAppLivechatStory is the whole story on WhatsApp through real
// HTTP: Jane talks to the bot, presses a button, asks for a human; an agent
// answers on the desk and signs off; Jane taps the native end button and
// the bot resumes.
func TestWhatsAppLivechatStory(t *testing.T) {
	g := newWAStory(t, nil, nil)
	ctx := context.Background()

	g.write("Hi")
	got := g.received(0, 2)
	if got[0].Text != "Hi! I am the switchboard demo bot." || got[1].Type != "interactive" || got[1].Interactive != "button" {
		t.Fatalf("the bot's greeting came as:\n%s", showSent(got))
	}
	if ids := []string{got[1].Buttons[0].ID, got[1].Buttons[1].ID}; !slices.Equal(ids, []string{"HOURS", "LIVECHAT_SESSION_START"}) || got[1].Buttons[1].Title != "Talk to a human" {
		t.Errorf("the menu's buttons are %+v", got[1].Buttons)
	}
	// The bot's Typing marked Jane's message read, with the indicator.
	for _, cv := range g.sim.Conversations() {
		if cv.WaID == janeWA && (len(cv.Entries) == 0 || cv.Entries[0].In == nil || !cv.Entries[0].In.Read) {
			t.Errorf("Jane's first message is not marked read: %+v", cv.Entries)
		}
	}

	g.press("HOURS")
	got = g.received(2, 2)
	if got[0].Text != "We are open Monday to Friday, 9:00 to 18:00 (Paris time)." || got[1].Interactive != "button" {
		t.Fatalf("after Opening hours the bot sent:\n%s", showSent(got))
	}

	g.press("LIVECHAT_SESSION_START")
	if got = g.received(4, 1); got[0].Text != "Connecting you to an agent…" {
		t.Fatalf("after Talk to a human the bot sent:\n%s", showSent(got))
	}
	s := g.liveSession()
	var meta map[string]string
	_ = json.Unmarshal(s.Metadata, &meta)
	if meta["name"] != janeName || meta["whatsapp_id"] != janeWA || meta["phone"] != "+"+janeWA {
		t.Errorf("the agent sees the customer as %s, want her WhatsApp name and number", s.Metadata)
	}

	g.write("My order did not arrive")
	g.waitInSession(s.ID, "My order did not arrive")
	g.settle()
	if n := len(g.sim.Outbound(janeWA)); n != 5 {
		t.Fatalf("the bot answered during the session: %s", showSent(g.sim.Outbound(janeWA)))
	}

	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Sorry about that, it ships today."}); err != nil {
		t.Fatal(err)
	}
	if got = g.received(5, 1); got[0].Text != "*Alex*\nSorry about that, it ships today." {
		t.Fatalf("the agent's reply came as:\n%s", showSent(got))
	}

	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Have a nice day! LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	got = g.received(6, 2)
	if got[0].Text != "*Alex*\nHave a nice day!" || got[1].Interactive != "button" || len(got[1].Buttons) != 1 ||
		got[1].Buttons[0].ID != switchboard.PayloadSessionEnd || got[1].Buttons[0].Title != "End the conversation" {
		t.Fatalf("the sign-off came as:\n%s", showSent(got))
	}

	g.press(switchboard.PayloadSessionEnd)
	got = g.received(8, 2)
	if got[0].Text != "Thanks for chatting with us today! I am back if you need me." || got[1].Interactive != "button" {
		t.Fatalf("after the end button the bot sent:\n%s", showSent(got))
	}
	if s = g.session(s.ID); s.EndReason != switchboard.EndUser {
		t.Errorf("the session ended with %q, want user_ended", s.EndReason)
	}

	// Every message reached the phone once, in order, and its receipts
	// came back.
	last := g.sim.Outbound(janeWA)[9]
	if _, err := g.sim.WaitStatus(ctx, last.ID, "read"); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the read receipt recorded", func() bool {
		var sent *switchboard.Sent
		_ = g.srv.app.Store.View(ctx, func(tx switchboard.Tx) error {
			var err error
			sent, err = tx.FindSent(ctx, g.channelID, last.ID)
			return err
		})
		return sent != nil && sent.Status == switchboard.SentRead
	})
	g.settle()
	if n := len(g.sim.Outbound(janeWA)); n != 10 {
		t.Errorf("Jane got %d messages, want 10:\n%s", n, showSent(g.sim.Outbound(janeWA)))
	}
}

// TestWhatsAppSessionExpiry: an agent who never answers; the session
// expires and the bot's expiry message reaches Jane on WhatsApp.
func TestWhatsAppSessionExpiry(t *testing.T) {
	g := newWAStory(t, nil, nil)
	s := g.handOver()
	g.settle()
	g.clock.Advance(29 * time.Minute)
	g.advanceUntil("the session to expire", time.Minute, func() bool { return g.session(s.ID).EndReason == switchboard.EndExpired })
	got := g.received(3, 2)
	if got[0].Text != "Our conversation with an agent timed out. I am back if you need me." || got[1].Interactive != "button" {
		t.Fatalf("after the expiry Jane got:\n%s", showSent(got))
	}
}

// weekLong keeps a session open for a week, so that an agent can answer
// after the 24-hour window.
func weekLong() *livechat.Settings {
	return &livechat.Settings{Timeout: livechat.Duration(7 * 24 * time.Hour)}
}

// deskNotices are the notices only agents see in a session.
func (g *story) deskNotices(sessionID string) []string {
	var out []string
	for _, m := range g.history() {
		if m.SessionID == sessionID && m.Sender.Kind == switchboard.SenderSystem && m.Direction == switchboard.DirectionReceive {
			out = append(out, describe(m))
		}
	}
	return out
}

// TestWhatsAppAgentAfterTheWindowWithoutTemplate: the agent answers 25
// hours after Jane's last message; nothing is sent (WhatsApp would refuse
// it) and the agent reads why on the desk.
func TestWhatsAppAgentAfterTheWindowWithoutTemplate(t *testing.T) {
	g := newWAStory(t, weekLong(), nil)
	s := g.handOver()
	g.settle() // no job in flight when the clock jumps (its lease would run out)
	g.clock.Advance(25 * time.Hour)
	if err := g.srv.app.Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Sorry for the wait!"}); err != nil {
		t.Fatal(err)
	}
	g.waitFor("a notice for the agent", func() bool { return len(g.deskNotices(s.ID)) > 0 })
	notice := g.deskNotices(s.ID)[0]
	if !strings.Contains(notice, "did not receive") || !strings.Contains(notice, "24h0m0s") || !strings.Contains(notice, "no template") {
		t.Errorf("the agent reads %q", notice)
	}
	g.settle()
	if out := g.sim.Outbound(janeWA); len(out) != 3 {
		t.Errorf("something was sent after the window:\n%s", showSent(out[3:]))
	}
}

// TestWhatsAppAgentAfterTheWindowWithTemplate: with a template set, the
// late reply sends it once to invite Jane back; when she writes, the
// agent gets her message and the next reply reaches her.
func TestWhatsAppAgentAfterTheWindowWithTemplate(t *testing.T) {
	g := newWAStory(t, weekLong(), func(wa map[string]any) {
		wa["template"] = map[string]any{"name": "hello_world", "language": "en_US"}
	})
	s := g.handOver()
	g.settle() // no job in flight when the clock jumps (its lease would run out)
	g.clock.Advance(25 * time.Hour)
	ctx := context.Background()
	for _, text := range []string{"Sorry for the wait!", "Are you still there?"} {
		if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	got := g.received(3, 1)
	if got[0].Template == nil || got[0].Template.Name != "hello_world" {
		t.Fatalf("after the window Jane got:\n%s", showSent(got))
	}
	g.settle()
	g.waitFor("two notices for the agent", func() bool { return len(g.deskNotices(s.ID)) == 2 })
	if n := g.deskNotices(s.ID); !strings.Contains(n[0], `template "hello_world" was sent`) || !strings.Contains(n[1], "was sent already") {
		t.Errorf("the agent reads %q", n)
	}
	g.settle()
	if out := g.sim.Outbound(janeWA); len(out) != 4 {
		t.Fatalf("the template went more than once:\n%s", showSent(out))
	}

	g.write("Yes, here!")
	g.waitFor("Jane's answer in the session", func() bool {
		return slices.ContainsFunc(g.history(), func(m switchboard.Message) bool { return m.SessionID == s.ID && describe(m) == "Yes, here!" })
	})
	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Great, it ships today."}); err != nil {
		t.Fatal(err)
	}
	if got = g.received(4, 1); got[0].Text != "*Alex*\nGreat, it ships today." {
		t.Fatalf("after Jane wrote back, the agent's reply came as:\n%s", showSent(got))
	}
}

// TestWhatsAppWindowClosedReportedLate: WhatsApp accepts a message (200)
// and later reports it failed with 131047; the agent is told, and the
// receipt is recorded.
func TestWhatsAppWindowClosedReportedLate(t *testing.T) {
	g := newWAStory(t, nil, nil)
	s := g.handOver()
	g.sim.CloseWindow(janeWA) // Meta's clock and ours disagree
	if err := g.srv.app.Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Hello?"}); err != nil {
		t.Fatal(err)
	}
	sent := g.received(3, 1)[0]
	g.waitFor("a notice for the agent", func() bool { return len(g.deskNotices(s.ID)) > 0 })
	if n := g.deskNotices(s.ID)[0]; !strings.Contains(n, "did not receive") {
		t.Errorf("the agent reads %q", n)
	}
	var rec *switchboard.Sent
	_ = g.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		rec, err = tx.FindSent(context.Background(), g.channelID, sent.ID)
		return err
	})
	if rec == nil || rec.Status != switchboard.SentFailed || !strings.Contains(rec.Error, "131047") {
		t.Errorf("the message is recorded as %+v, want failed with 131047", rec)
	}
}

// TestWhatsAppExpiryAfterTheWindow: a session that outlives Jane's window
// expires; the bot's expiry message cannot reach her, and the agents read
// why on the session that just ended.
func TestWhatsAppExpiryAfterTheWindow(t *testing.T) {
	g := newWAStory(t, weekLong(), nil)
	s := g.handOver()
	g.settle()
	g.clock.Advance(7*24*time.Hour - time.Minute)
	g.advanceUntil("the session to expire", time.Minute, func() bool { return g.session(s.ID).EndReason == switchboard.EndExpired })
	g.waitFor("a notice for the agents", func() bool { return len(g.deskNotices(s.ID)) > 0 })
	g.settle()
	if out := g.sim.Outbound(janeWA); len(out) != 3 {
		t.Errorf("something was sent after the window:\n%s", showSent(out[3:]))
	}
}
