package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestMessengerWithChatwoot: Jane on Messenger, the agent on Chatwoot (the
// simulator), the page approved for HUMAN_AGENT: the agent's reply reaches
// her, a reply a day later goes with the HUMAN_AGENT tag, and one after 7
// days is not sent but a private note in the conversation says why.
func TestMessengerWithChatwoot(t *testing.T) {
	clock, csim, settings := weekOnChatwoot(t)
	g := newMSStoryAt(t, clock, false, settings, func(s map[string]any) { s["human_agent_tag"] = true })
	g.waitDeliveries = csim.WaitDeliveries
	g.sim.SetHumanAgent(true)

	g.write("Hi")
	g.received(0, 2)
	g.tap("LIVECHAT_SESSION_START")
	g.received(2, 1)
	s := g.liveSession()
	var display int64
	g.waitFor("the Chatwoot conversation", func() bool {
		cv, ok := csim.ConversationBySource(s.ID)
		display = cv.DisplayID
		return ok
	})
	reply := func(text string) {
		t.Helper()
		if _, err := csim.Reply(display, text); err != nil {
			t.Fatal(err)
		}
	}
	reply("Hello from Chatwoot")
	if got := g.received(3, 1); !strings.HasSuffix(got[0].Text, "\nHello from Chatwoot") || got[0].Tag != "" {
		t.Fatalf("the Chatwoot reply came as:\n%s", showMS(got))
	}

	g.settle()
	g.clock.Advance(25 * time.Hour)
	reply("Did it arrive?")
	if got := g.received(4, 1); !strings.HasSuffix(got[0].Text, "\nDid it arrive?") || got[0].Tag != "HUMAN_AGENT" {
		t.Fatalf("the reply after 25 hours came as:\n%s", showMS(got))
	}

	g.settle()
	g.clock.Advance(6*24*time.Hour + time.Hour) // 7 days and 2 hours after Jane wrote
	reply("Anything else?")
	g.waitFor("a private note in the conversation", func() bool {
		cv, _ := csim.ConversationBySource(s.ID)
		return slices.ContainsFunc(cv.Messages, func(m chatwootsim.Message) bool { return m.Private && strings.Contains(m.Text(), "did not receive") })
	})
	g.settle()
	if out := g.sim.Outbound(janePSID); len(out) != 5 {
		t.Errorf("something was sent after 7 days:\n%s", showMS(out[5:]))
	}
}

// weekOnChatwoot starts the Chatwoot simulator on a test clock and returns
// the demo bot's livechat settings for it, with sessions that last a week
// (an agent may answer after the customer's 24-hour window).
func weekOnChatwoot(t *testing.T) (*testclock.Clock, *chatwootsim.Server, *livechat.Settings) {
	t.Helper()
	clock := testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	csim, err := chatwootsim.Start("", chatwootsim.Config{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { csim.Close() })
	settings := chatwootSettings(csim)
	settings.Timeout = livechat.Duration(7 * 24 * time.Hour)
	return clock, csim, settings
}
