package app_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/simkit"
)

// TestMessengerLivechatStory is the whole story on Messenger and on
// Instagram through real HTTP, with the page also answering from Meta's
// inbox (handover): Jane talks to the bot, taps a button (Messenger: a
// button template's postback; Instagram: a quick reply), asks for a human
// and the livechat session takes her thread; an agent answers on the desk
// and signs off; Jane taps the native end button, the thread is given
// back and the bot resumes.
func TestMessengerLivechatStory(t *testing.T) {
	for _, instagram := range []bool{false, true} {
		t.Run(map[bool]string{false: "Messenger", true: "Instagram"}[instagram], func(t *testing.T) {
			g := newMSStory(t, instagram, nil, func(s map[string]any) { s["handover"] = true })
			ctx := context.Background()
			menu, agent := "buttons", "*Alex*\n"
			if instagram {
				menu, agent = "quick_replies", "Alex:\n"
			}

			g.write("Hi")
			got := g.received(0, 2)
			if got[0].Text != "Hi! I am the switchboard demo bot." || got[1].Kind != menu || !slices.Equal(choices(got[1]), []string{"HOURS", "LIVECHAT_SESSION_START"}) {
				t.Fatalf("the bot's greeting came as:\n%s", showMS(got))
			}
			g.tap("HOURS")
			if got = g.received(2, 2); got[0].Text != "We are open Monday to Friday, 9:00 to 18:00 (Paris time)." || got[1].Kind != menu {
				t.Fatalf("after Opening hours the bot sent:\n%s", showMS(got))
			}

			g.tap("LIVECHAT_SESSION_START")
			if got = g.received(4, 1); got[0].Text != "Connecting you to an agent…" {
				t.Fatalf("after Talk to a human the bot sent:\n%s", showMS(got))
			}
			s := g.liveSession()
			if owner := g.sim.Owner(janePSID); owner != g.sim.Config().AppID {
				t.Errorf("during the session the thread is owned by %q, want the app", owner)
			}

			g.write("My order did not arrive")
			g.waitInSession(s.ID, "My order did not arrive")
			g.settle()
			if n := len(g.sim.Outbound(janePSID)); n != 5 {
				t.Fatalf("the bot answered during the session: %s", showMS(g.sim.Outbound(janePSID)))
			}

			if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Sorry about that, it ships today."}); err != nil {
				t.Fatal(err)
			}
			if got = g.received(5, 1); got[0].Text != agent+"Sorry about that, it ships today." || got[0].MessagingType != "RESPONSE" {
				t.Fatalf("the agent's reply came as:\n%s", showMS(got))
			}
			if err := g.srv.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Have a nice day! LIVECHAT_SESSION_END"}); err != nil {
				t.Fatal(err)
			}
			got = g.received(6, 2)
			if got[0].Text != agent+"Have a nice day!" || !slices.Equal(choices(got[1]), []string{switchboard.PayloadSessionEnd}) {
				t.Fatalf("the sign-off came as:\n%s", showMS(got))
			}

			g.tap(switchboard.PayloadSessionEnd)
			if got = g.received(8, 2); got[0].Text != "Thanks for chatting with us today! I am back if you need me." || got[1].Kind != menu {
				t.Fatalf("after the end button the bot sent:\n%s", showMS(got))
			}
			if s = g.session(s.ID); s.EndReason != switchboard.EndUser {
				t.Errorf("the session ended with %q, want user_ended", s.EndReason)
			}
			if owner := g.sim.Owner(janePSID); owner != "" {
				t.Errorf("after the session the thread is owned by %q, want it given back (idle)", owner)
			}
			g.settle()
			if n := len(g.sim.Outbound(janePSID)); n != 10 {
				t.Errorf("Jane got %d messages, want 10:\n%s", n, showMS(g.sim.Outbound(janePSID)))
			}
			if r := g.sim.RefusedSends(); len(r) != 0 {
				t.Errorf("Meta refused sends: %+v", r)
			}
		})
	}
}

// TestMessengerInboxThreadLeavesTheBotQuiet: while a person holds Jane's
// thread in Meta's inbox, her messages reach the app on standby and the
// bot keeps quiet; their echoes are not taken for Jane's; once the inbox
// marks the thread done the bot answers again.
func TestMessengerInboxThreadLeavesTheBotQuiet(t *testing.T) {
	g := newMSStory(t, false, nil, nil)
	g.write("Hi")
	g.received(0, 2)
	g.sim.InboxTake(janePSID)
	g.sim.InboxReply(janePSID, "Hello Jane, this is Sam from the shop.")
	g.write("Hi Sam, where is my order?")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.settle()
	if out := g.sim.Outbound(janePSID); len(out) != 2 {
		t.Fatalf("the bot answered a thread the inbox holds:\n%s", showMS(out[2:]))
	}
	for _, m := range g.history() {
		if strings.Contains(describe(m), "Sam") {
			t.Errorf("the history has %q: an echo or a standby event was taken", describe(m))
		}
	}
	g.sim.InboxDone(janePSID)
	g.write("Hi again")
	if got := g.received(2, 2); got[1].Kind != "buttons" {
		t.Errorf("after the inbox gave the thread back the bot sent:\n%s", showMS(got))
	}
}

// TestMessengerAgentAfterTheWindow: an agent answers 25 hours after Jane's
// last message. With human_agent_tag (and the app approved by Meta) the
// reply goes with the HUMAN_AGENT tag; past 7 days it is not sent and the
// agent is told. Without the setting nothing is sent and the agent reads
// why on the desk; with the setting but an app Meta did not approve, Meta
// refuses the tag and the agent is told too.
func TestMessengerAgentAfterTheWindow(t *testing.T) {
	for _, c := range []struct {
		name             string
		setting, granted bool
	}{{"Approved", true, true}, {"NoSetting", false, true}, {"NotApproved", true, false}} {
		t.Run(c.name, func(t *testing.T) {
			g := newMSStory(t, false, weekLong(), func(s map[string]any) { s["human_agent_tag"] = c.setting })
			g.sim.SetHumanAgent(c.granted)
			g.write("Hi")
			g.received(0, 2)
			g.tap("LIVECHAT_SESSION_START")
			g.received(2, 1)
			s := g.liveSession()
			g.settle() // no job in flight when the clock jumps
			g.clock.Advance(25 * time.Hour)
			if err := g.srv.app.Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Sorry for the wait!"}); err != nil {
				t.Fatal(err)
			}
			if c.setting && c.granted {
				got := g.received(3, 1)
				if got[0].Text != "*Alex*\nSorry for the wait!" || got[0].MessagingType != "MESSAGE_TAG" || got[0].Tag != "HUMAN_AGENT" {
					t.Fatalf("the late reply came as:\n%s", showMS(got))
				}
				g.settle()
				g.clock.Advance(6 * 24 * time.Hour)
				if err := g.srv.app.Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Still there?"}); err != nil {
					t.Fatal(err)
				}
			}
			g.waitFor("a notice for the agent", func() bool { return len(g.deskNotices(s.ID)) > 0 })
			notice := g.deskNotices(s.ID)[0]
			if !strings.Contains(notice, "did not receive") || !strings.Contains(notice, "HUMAN_AGENT") || strings.Contains(notice, "template") {
				t.Errorf("the agent reads %q", notice)
			}
			if !c.setting && !strings.Contains(notice, "human_agent_tag") {
				t.Errorf("the agent is not told which setting would do: %q", notice)
			}
			g.settle()
			want := 3
			if c.setting && c.granted {
				want = 4
			}
			if out := g.sim.Outbound(janePSID); len(out) != want {
				t.Errorf("Jane got:\n%s", showMS(out))
			}
			if refused := g.sim.RefusedSends(); c.setting && !c.granted && (len(refused) != 1 || refused[0].Subcode != 2018278) {
				t.Errorf("Meta refused %+v, want the tag refused (10/2018278)", refused)
			}
		})
	}
}

// TestMessengerWebhookRefusesForgedAndReplayed: a delivery with a forged
// signature is refused and changes nothing; a signed one is taken once,
// its replay (same mid) is a duplicate that changes nothing; the echo of
// the page's own message and a standby event are not the user's.
func TestMessengerWebhookRefusesForgedAndReplayed(t *testing.T) {
	g := newMSStory(t, false, nil, nil)
	page := g.sim.Config().AccountID
	event := func(field, ev string) []byte {
		return []byte(`{"object":"page","entry":[{"id":"` + page + `","time":1796634000000,"` + field + `":[` + ev + `]}]}`)
	}
	text := event("messaging", `{"sender":{"id":"`+janePSID+`"},"recipient":{"id":"`+page+`"},"timestamp":1796634000000,"message":{"mid":"m_replayed","text":"Hi"}}`)
	msgs := func() int { return len(g.history()) }

	if status, _ := g.post(text, sign(text, "not-the-app-secret")); status != http.StatusUnauthorized {
		t.Errorf("a forged signature: %d, want 401", status)
	}
	g.settle()
	if n, j := msgs(), g.pendingJobs(); n != 0 || j != 0 {
		t.Fatalf("a forged delivery left %d messages and %d jobs", n, j)
	}
	if status, answer := g.post(text, sign(text, "ms-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"queued":1`) {
		t.Fatalf("a signed delivery: %d %s", status, answer)
	}
	g.waitFor("the bot's answer", func() bool { return msgs() >= 3 })
	g.settle()
	before := msgs()
	if status, answer := g.post(text, sign(text, "ms-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"duplicates":1`) {
		t.Errorf("a replayed delivery: %d %s", status, answer)
	}
	echo := event("messaging", `{"sender":{"id":"`+page+`"},"recipient":{"id":"`+janePSID+`"},"timestamp":1796634000001,"message":{"mid":"m_echo","is_echo":true,"app_id":263902037430900,"text":"From the inbox"}}`)
	standby := event("standby", `{"sender":{"id":"`+janePSID+`"},"recipient":{"id":"`+page+`"},"timestamp":1796634000002,"message":{"mid":"m_standby","text":"To the inbox"}}`)
	for _, b := range [][]byte{echo, standby} {
		if status, answer := g.post(b, sign(b, "ms-app-secret")); status != http.StatusOK || !strings.Contains(answer, `"queued":0`) {
			t.Errorf("%s: %d %s, want nothing queued", b, status, answer)
		}
	}
	g.settle()
	if after := msgs(); after != before {
		t.Errorf("the replay, the echo or the standby event changed the history: %d messages, then %d", before, after)
	}
}

// post sends a webhook body with a signature, as the WhatsApp tests do
// (Meta signs both alike).
func (g *msStory) post(body []byte, sig string) (int, string) {
	return (&waStory{story: g.story, webhook: g.webhook}).post(body, sig)
}

// TestMessengerChaosLosesAndRepeatsNothing: with every delivery sent twice
// and reordered, Jane's messages reach the session once each and the bot
// answers her greeting once.
func TestMessengerChaosLosesAndRepeatsNothing(t *testing.T) {
	g := newMSStory(t, false, nil, nil)
	g.sim.SetChaos(simkit.Chaos{Duplicate: 1, Reorder: 2})
	g.write("Hi")
	g.received(0, 2)
	g.tap("LIVECHAT_SESSION_START")
	g.received(2, 1)
	s := g.liveSession()
	for i := 1; i <= 4; i++ {
		g.write(fmt.Sprintf("question %d", i))
		g.waitInSession(s.ID, fmt.Sprintf("question %d", i)) // Meta gives no order across deliveries: one at a time
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.settle()
	if !slices.ContainsFunc(g.sim.Deliveries(), func(d simkit.Delivery) bool { return d.Duplicate && d.OK() }) {
		t.Fatal("no delivery was duplicated")
	}
	var in []string
	for _, m := range g.history() {
		if m.SessionID == s.ID && m.Sender.Kind == switchboard.SenderUser && m.Payload.ContentType == "text" {
			in = append(in, describe(m))
		}
	}
	if strings.Join(in, "|") != "question 1|question 2|question 3|question 4" {
		t.Errorf("the session holds %q", in)
	}
	if out := g.sim.Outbound(janePSID); len(out) != 3 {
		t.Errorf("Jane got:\n%s", showMS(out))
	}
}
