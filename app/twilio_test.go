package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/twilio/twiliosim"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// smsStory is the demo bot on an SMS channel through Twilio, with the
// Twilio simulator and Jane texting from her phone.
type smsStory struct {
	*story
	sim *twiliosim.Sim
}

const janeSMS = "+16315551181"

// newSMSStory starts a server with the demo bot, a Twilio simulator and a
// Twilio channel made through the admin API, whose webhook URL is set on
// the simulated number as in Twilio's console.
func newSMSStory(t *testing.T) *smsStory {
	t.Helper()
	clock := testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	srv := startServer(t, clock, nil)
	sim := twiliosim.New(twiliosim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	channelID, webhook := createChannel(t, srv, map[string]any{"bot_id": "livechat-demo", "type": "twilio",
		"twilio": map[string]string{"account_sid": twiliosim.DefaultAccountSID, "auth_token": twiliosim.DefaultAuthToken, "from": twiliosim.DefaultNumber, "api_base": sim.URL()}})
	sim.SetWebhook(webhook)
	g := &smsStory{sim: sim}
	g.story = &story{t: t, srv: srv, clock: clock, user: switchboard.ClientKey{BotID: "livechat-demo", ChannelID: channelID, UserID: strings.TrimPrefix(janeSMS, "+")},
		waitDeliveries: sim.WaitDeliveries}
	return g
}

// text is Jane texting the number; it returns the MessageSid.
func (g *smsStory) text(body string) string {
	g.t.Helper()
	sid, err := g.sim.CustomerText(context.Background(), janeSMS, body)
	if err != nil {
		g.t.Fatal(err)
	}
	return sid
}

// received waits until Jane has skip+n texts from the REST API and returns
// the last n bodies.
func (g *smsStory) received(skip, n int) []string {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := g.sim.WaitOutbound(ctx, janeSMS, skip+n)
	var bodies []string
	for _, m := range out {
		bodies = append(bodies, m.Body)
	}
	if err != nil {
		g.t.Fatalf("%v; got %q", err, bodies)
	}
	return bodies[skip:]
}

// inSession waits until Jane's text reached the session.
func (g *smsStory) inSession(sessionID, text string) {
	g.t.Helper()
	g.waitFor("the customer's text in the session", func() bool {
		for _, m := range g.history() {
			if m.SessionID == sessionID && m.Direction == switchboard.DirectionReceive && describe(m) == text {
				return true
			}
		}
		return false
	})
}

// TestTwilioLivechatStory is the whole story by SMS through real HTTP:
// Jane texts the bot, picks a numbered choice by its number, asks for a
// human; the agent answers and signs off; Jane replies with the number of
// the end choice and the bot resumes. Every webhook is answered with empty
// TwiML, and every text's delivery comes back.
func TestTwilioLivechatStory(t *testing.T) {
	g := newSMSStory(t)
	ctx := context.Background()
	menu := "I can tell you our opening hours, or put you in touch with a person.\n1. Opening hours\n2. Talk to a human"

	g.text("Hi")
	got := g.received(0, 2)
	if got[0] != "Hi! I am the switchboard demo bot." || got[1] != menu {
		t.Fatalf("the greeting came as %q", got)
	}
	g.text("1")
	if got = g.received(2, 2); got[0] != "We are open Monday to Friday, 9:00 to 18:00 (Paris time)." || got[1] != menu {
		t.Fatalf("after 1 the bot sent %q", got)
	}
	g.text("2")
	if got = g.received(4, 1); got[0] != "Connecting you to an agent…" {
		t.Fatalf("after 2 the bot sent %q", got)
	}
	s := g.liveSession()
	var meta map[string]string
	_ = json.Unmarshal(s.Metadata, &meta)
	if meta["phone"] != janeSMS {
		t.Errorf("the agent sees the customer as %s, want her number", s.Metadata)
	}

	g.text("My order did not arrive")
	g.inSession(s.ID, "My order did not arrive")
	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Sorry about that, it ships today."}); err != nil {
		t.Fatal(err)
	}
	if got = g.received(5, 1); got[0] != "Alex: Sorry about that, it ships today." {
		t.Fatalf("the agent's reply came as %q", got)
	}
	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Have a nice day! LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	if got = g.received(6, 2); got[0] != "Alex: Have a nice day!" || !strings.HasSuffix(got[1], "1. End the conversation") {
		t.Fatalf("the sign-off came as %q", got)
	}
	g.text("1")
	if got = g.received(8, 2); got[0] != "Thanks for chatting with us today! I am back if you need me." || got[1] != menu {
		t.Fatalf("after 1 the bot sent %q", got)
	}
	if s = g.session(s.ID); s.EndReason != switchboard.EndUser {
		t.Errorf("the session ended with %q, want user_ended", s.EndReason)
	}

	out, _ := g.sim.WaitOutbound(ctx, janeSMS, 10)
	last := out[9]
	g.waitFor("the delivery of the last text recorded", func() bool {
		var sent *switchboard.Sent
		_ = g.srv.app.Store.View(ctx, func(tx switchboard.Tx) error {
			var err error
			sent, err = tx.FindSent(ctx, g.user.ChannelID, last.SID)
			return err
		})
		return sent != nil && sent.Status == switchboard.SentDelivered
	})
	g.settle()
	if n := len(g.sim.Conversation(janeSMS)); n != 15 {
		t.Errorf("the conversation has %d texts, want 5 from Jane and 10 to her", n)
	}
	for _, d := range g.sim.Deliveries() {
		if !d.OK() {
			t.Errorf("a webhook was answered %d: %s", d.Status, d.Err)
		}
		if a := g.sim.LastAnswer(d.ObjectID); d.EventType == "incoming" && !strings.HasSuffix(a.Body, "<Response/>") {
			t.Errorf("a text was answered %q, want empty TwiML", a.Body)
		}
	}
}

// TestTwilioForgedAndReplayed: a text signed with another Auth Token is
// refused and changes nothing; a text posted again with its MessageSid is
// answered and ignored.
func TestTwilioForgedAndReplayed(t *testing.T) {
	g := newSMSStory(t)
	sid := g.text("Hi")
	g.received(0, 2)
	g.settle()
	before := len(g.history())

	g.sim.Forge(true)
	forgedSID := g.text("1")
	g.sim.Forge(false)
	if err := g.sim.Replay(sid); err != nil {
		t.Fatal(err)
	}
	g.settle()
	forged, replayed := g.sim.LastAnswer(forgedSID), g.sim.LastAnswer(sid)
	if forged.Status != http.StatusUnauthorized {
		t.Errorf("the forged text was answered %d %s", forged.Status, forged.Body)
	}
	if replayed.Status != http.StatusOK || !strings.HasSuffix(replayed.Body, "<Response/>") {
		t.Errorf("the replayed text was answered %d %s", replayed.Status, replayed.Body)
	}
	if after := len(g.history()); after != before {
		t.Errorf("the history went from %d to %d messages", before, after)
	}
	if n := len(g.sim.Conversation(janeSMS)); n != 4 {
		t.Errorf("Jane's conversation has %d texts, want her 2 and the bot's 2", n)
	}
}

// TestTwilioStopDuringSession: Jane texts STOP while an agent talks to
// her; Twilio unsubscribes her, the agent sees her STOP, and the agent's
// next reply is not even tried: the agent reads that she texted STOP.
// After her START, the agent's reply reaches her.
func TestTwilioStopDuringSession(t *testing.T) {
	g := newSMSStory(t)
	ctx := context.Background()
	g.text("Hi")
	g.received(0, 2)
	g.text("2")
	g.received(2, 1)
	s := g.liveSession()
	g.text("STOP")
	g.inSession(s.ID, "STOP")
	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Are you still there?"}); err != nil {
		t.Fatal(err)
	}
	g.waitFor("a notice for the agent", func() bool {
		for _, m := range g.history() {
			if m.SessionID == s.ID && m.Sender.Kind == switchboard.SenderSystem && strings.Contains(describe(m), "texted STOP") {
				return true
			}
		}
		return false
	})
	g.settle()
	if n := g.sim.Attempts(janeSMS); n != 3 {
		t.Errorf("%d texts were tried to Jane, want the 3 before STOP: nothing after", n)
	}
	if !g.sim.OptedOut(janeSMS) {
		t.Error("Twilio does not hold Jane's STOP")
	}

	// START: she is texted again.
	g.text("START")
	g.inSession(s.ID, "START")
	if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Welcome back!"}); err != nil {
		t.Fatal(err)
	}
	if got := g.received(3, 1); got[0] != "Alex: Welcome back!" {
		t.Errorf("after START Jane got %q", got)
	}
}
