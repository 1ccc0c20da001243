package main

import (
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// channelStory is a WhatsApp customer's desk session whose two messages
// to the agent were delivered swapped, so switchboard stored (and the
// agent saw) u1-m4 before u1-m3; the customer received what the platform
// showed, read by classify.
func channelStory() (*ledger, *truth) {
	l := newLedger()
	u := l.addUser(1, "whatsapp", "harness-desk", "desk")
	u.Reordered = true
	now := time.Now()
	u.Sent = []sentMsg{{Token: "u1-m1", Session: -1, SentAt: now}, {Token: "u1-m3", Session: 0, SentAt: now}, {Token: "u1-m4", Session: 0, SentAt: now}}
	u.Agent = []agentMsg{{Token: "a1-m2", Session: 0, SentAt: now, Bye: true}}
	u.Sessions = []*sessionRec{{ID: "s1", Platform: "desk", Mode: modeSignOff, Started: now, Finished: now}}
	h := []switchboard.Message{
		msg(10, switchboard.SenderUser, "", text("u1-m1 hello bot")),
		msg(20, switchboard.SenderBot, "", livechat.Question("bot: u1-m1 hello bot", livechat.Button{Title: startTitle, Payload: switchboard.PayloadSessionStart})),
		msg(30, switchboard.SenderUser, "s1", button(switchboard.PayloadSessionStart)),
		msg(40, switchboard.SenderSystem, "s1", text("Connecting you to an agent…")),
		msg(50, switchboard.SenderUser, "s1", text("u1-m4 and another")),
		msg(60, switchboard.SenderUser, "s1", text("u1-m3 question")),
		msg(70, switchboard.SenderAgent, "s1", text("a1-m2 agent bye")),
		msg(80, switchboard.SenderSystem, "s1", livechat.EndQuestion("Anything else?", livechat.DefaultEndButtonLabel)),
		msg(90, switchboard.SenderUser, "s1", button(switchboard.PayloadSessionEnd)),
		msg(100, switchboard.SenderBot, "", text(resumeEnded)),
	}
	seen := []platformMsg{
		{Text: "bot: u1-m1 hello bot", Buttons: []string{startTitle}},
		{Text: "Connecting you to an agent…"},
		{Text: "Harness agent: a1-m2 agent bye"},
		{Text: "Anything else?", Buttons: []string{livechat.DefaultEndButtonLabel}},
		{Text: resumeEnded},
	}
	for i, m := range seen {
		u.receive(classify(m, int64(-1-i), "s1"), viaChannel)
	}
	t := &truth{histories: map[string][]switchboard.Message{"u1": h},
		sessions:   map[string]serverSession{"s1": {ID: "s1", Platform: "desk", State: "ended", EndReason: "user_ended", Claimed: true}},
		onPlatform: map[string][]string{}, closed: map[string]bool{}}
	return l, t
}

func TestChannelCustomerChecks(t *testing.T) {
	l, tr := channelStory()
	v := verify(l, tr, 0, time.Now())
	if got := failed(v); len(got) > 0 {
		t.Fatalf("a story that went right: failed %v", got)
	}
	if v.swapped != 1 {
		t.Errorf("swapped %d, want 1", v.swapped)
	}

	// A nudge written in the session, delivered after the END pressed
	// just after it: processed by the bot, which answers it; not lost
	// from the session, not unexpected from the bot.
	l, tr = channelStory()
	u := l.users[0]
	u.Sent = append(u.Sent, sentMsg{Token: "u1-m5", Session: 0, SentAt: time.Now()})
	tr.histories["u1"] = append(tr.histories["u1"],
		msg(110, switchboard.SenderUser, "", text("u1-m5 are you still there?")),
		msg(120, switchboard.SenderBot, "", livechat.Question("bot: u1-m5 are you still there?", livechat.Button{Title: startTitle, Payload: switchboard.PayloadSessionStart})))
	u.receive(classify(platformMsg{Text: "bot: u1-m5 are you still there?", Buttons: []string{startTitle}}, -10, "s1"), viaChannel)
	if got := failed(verify(l, tr, 0, time.Now())); len(got) > 0 {
		t.Errorf("a nudge processed after the end: failed %v", got)
	}
	// Written where it was processed, it still must arrive there.
	tr.histories["u1"] = tr.histories["u1"][:len(tr.histories["u1"])-1]
	if got, want := failed(verify(l, tr, 0, time.Now())), []string{checkBotStored}; !slices.Equal(got, want) {
		t.Errorf("the bot's answer to it not stored: failed %v, want %v", got, want)
	}

	// A channel that never reorders: the swap is out of order.
	l, tr = channelStory()
	l.users[0].Reordered = false
	if got, want := failed(verify(l, tr, 0, time.Now())), []string{checkUserStored, checkToAgent}; !slices.Equal(got, want) {
		t.Errorf("in order expected: failed %v, want %v", got, want)
	}

	// Processed in any order, a message stored twice is duplicated.
	l, tr = channelStory()
	tr.histories["u1"] = slices.Insert(tr.histories["u1"], 6, msg(65, switchboard.SenderUser, "s1", text("u1-m4 and another")))
	if got, want := failed(verify(l, tr, 0, time.Now())), []string{checkUserStored, checkToAgent}; !slices.Equal(got, want) {
		t.Errorf("stored twice: failed %v, want %v", got, want)
	}

	// The end question received twice is one too many.
	l, tr = channelStory()
	l.users[0].receive(classify(platformMsg{Text: "Anything else?", Buttons: []string{livechat.DefaultEndButtonLabel}}, -10, "s1"), viaChannel)
	if got, want := failed(verify(l, tr, 0, time.Now())), []string{checkEndQuestions}; !slices.Equal(got, want) {
		t.Errorf("end question twice: failed %v, want %v", got, want)
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		m    platformMsg
		kind switchboard.SenderKind
		end  bool
	}{
		{platformMsg{Text: "bot: u1-m1 hello bot", Buttons: []string{startTitle}}, switchboard.SenderBot, false},
		{platformMsg{Text: "bot: session ended"}, switchboard.SenderBot, false},
		{platformMsg{Text: "Ann: a1-m2 agent answer (order #42 & co)"}, switchboard.SenderAgent, false},
		{platformMsg{Text: "queue: you are number 2"}, switchboard.SenderSystem, false},
		{platformMsg{Text: "Is there anything else?\n1. " + livechat.DefaultEndButtonLabel, Buttons: []string{livechat.DefaultEndButtonLabel}}, switchboard.SenderSystem, true},
	} {
		m := classify(c.m, -1, "s1")
		if m.Sender.Kind != c.kind || isEndQuestion(m) != c.end || m.SessionID != "s1" {
			t.Errorf("%q: %s, end question %v, session %q", c.m.Text, m.Sender.Kind, isEndQuestion(m), m.SessionID)
		}
	}
}
