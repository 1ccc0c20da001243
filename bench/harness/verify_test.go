package main

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/chatwoot"
	"switchboard/livechat"
)

// story is one user's signed-off desk session, as the ledger and the store
// would have it, for checking the checks.
func story() (*ledger, *truth) {
	l := newLedger()
	u := l.addUser(1, "webapp", "harness-desk", "desk")
	now := time.Now()
	u.Sent = []sentMsg{{Token: "u1-m1", Session: -1, SentAt: now}, {Token: "u1-m2", Session: 0, SentAt: now}}
	u.Agent = []agentMsg{{Token: "a1-m3", Session: 0, SentAt: now}, {Token: "a1-m4", Session: 0, SentAt: now, Bye: true}}
	u.Sessions = []*sessionRec{{ID: "s1", Platform: "desk", Mode: modeSignOff, Started: now, Finished: now}}
	h := []switchboard.Message{
		msg(10, switchboard.SenderUser, "", text("u1-m1 hello bot")),
		msg(20, switchboard.SenderBot, "", text("bot: u1-m1 hello bot")),
		msg(30, switchboard.SenderUser, "s1", button(switchboard.PayloadSessionStart)),
		msg(40, switchboard.SenderSystem, "s1", text("Connecting you to an agent…")),
		msg(50, switchboard.SenderUser, "s1", text("u1-m2 question")),
		msg(60, switchboard.SenderAgent, "s1", text("a1-m3 agent answer")),
		msg(70, switchboard.SenderAgent, "s1", text("a1-m4 agent bye")),
		msg(80, switchboard.SenderSystem, "s1", livechat.EndQuestion("Anything else?", "End")),
		msg(90, switchboard.SenderUser, "s1", button(switchboard.PayloadSessionEnd)),
		msg(100, switchboard.SenderBot, "", text(resumeEnded)),
	}
	for _, m := range h {
		if m.Sender.Kind != switchboard.SenderUser {
			u.receive(m, "socket")
		}
	}
	t := &truth{histories: map[string][]switchboard.Message{"u1": h},
		sessions:   map[string]serverSession{"s1": {ID: "s1", Platform: "desk", State: "ended", EndReason: "user_ended", Claimed: true}},
		onPlatform: map[string][]string{}, closed: map[string]bool{}}
	return l, t
}

func msg(id int64, kind switchboard.SenderKind, session string, p switchboard.Payload) switchboard.Message {
	return switchboard.Message{ID: id, Sender: switchboard.Sender{Kind: kind}, SessionID: session, Payload: p}
}

func text(s string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: raw}
}

func button(payload string) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"payload": payload})
	return switchboard.Payload{ContentType: "payload", Content: raw}
}

// failed lists the checks that failed.
func failed(v *verdict) []string {
	var out []string
	for _, name := range v.order {
		if !v.tallies[name].ok() {
			out = append(out, name)
		}
	}
	return out
}

func TestVerifyPassesAStoryThatWentRight(t *testing.T) {
	l, tr := story()
	if got := failed(verify(l, tr, 0, time.Now())); len(got) > 0 {
		t.Fatalf("failed %v", got)
	}
}

func TestVerifyFindsWhatWentWrong(t *testing.T) {
	for _, c := range []struct {
		name  string
		spoil func(l *ledger, tr *truth)
		want  []string
	}{
		{"the bot answered during the session", func(l *ledger, tr *truth) {
			h := tr.histories["u1"]
			tr.histories["u1"] = slices.Insert(h, 5, msg(55, switchboard.SenderBot, "", text("bot: u1-m2 question")))
		}, []string{checkBotSilent}},
		{"the session resumed the bot twice", func(l *ledger, tr *truth) {
			tr.histories["u1"] = append(tr.histories["u1"], msg(110, switchboard.SenderBot, "", text(resumeEnded)))
			l.users[0].receive(msg(110, switchboard.SenderBot, "", text(resumeEnded)), "socket")
		}, []string{checkResumeStored, checkResumeReceived}},
		{"an agent message never reached the user", func(l *ledger, tr *truth) {
			u := l.users[0]
			u.Received = slices.DeleteFunc(u.Received, func(m recvMsg) bool { return m.ID == 60 })
		}, []string{checkAgentReceived}},
		{"an agent message was stored twice", func(l *ledger, tr *truth) {
			tr.histories["u1"] = slices.Insert(tr.histories["u1"], 6, msg(65, switchboard.SenderAgent, "s1", text("a1-m3 agent answer")))
		}, []string{checkAgentStored}},
		{"the session expired instead", func(l *ledger, tr *truth) {
			tr.sessions["s1"] = serverSession{ID: "s1", State: "ended", EndReason: "expired", Claimed: true}
		}, []string{checkEndReason}},
		{"the wait limit ended a claimed session", func(l *ledger, tr *truth) {
			tr.sessions["s1"] = serverSession{ID: "s1", State: "ended", EndReason: "timeout", Claimed: true}
		}, []string{checkEndReason, checkClaims}},
		{"an answered session was never claimed", func(l *ledger, tr *truth) {
			tr.sessions["s1"] = serverSession{ID: "s1", State: "ended", EndReason: "user_ended"}
		}, []string{checkClaims}},
		{"nobody told the user they wait", func(l *ledger, tr *truth) {
			u := l.users[0]
			u.Received = slices.DeleteFunc(u.Received, func(m recvMsg) bool { return m.ID == 40 })
		}, []string{checkAnswered}},
		{"a session waited unclaimed and was never told its place", func(l *ledger, tr *truth) {
			l.users[0].Sessions[0].Mode = modeUnclaimed
			tr.sessions["s1"] = serverSession{ID: "s1", State: "ended", EndReason: "timeout"}
		}, []string{checkAnswered}},
		{"a refused handoff got no answer from the bot", func(l *ledger, tr *truth) {
			l.users[0].Refused = []string{""}
		}, []string{checkAnswered}},
		{"a message was delivered twice to the page", func(l *ledger, tr *truth) {
			l.users[0].receive(msg(60, switchboard.SenderAgent, "s1", text("a1-m3 agent answer")), "socket")
		}, []string{checkDeliveredTwice}},
		{"a session nobody asked for", func(l *ledger, tr *truth) {
			tr.sessions["s2"] = serverSession{ID: "s2", State: "active"}
		}, []string{checkStarted}},
	} {
		l, tr := story()
		c.spoil(l, tr)
		if got := failed(verify(l, tr, 0, time.Now())); !slices.Equal(got, c.want) {
			t.Errorf("%s: failed %v, want %v", c.name, got, c.want)
		}
	}
}

// inboxStory is story's session held by Chatwoot (a contact of an agent-bot
// inbox): the agents wrote in Chatwoot, where the contact read them, and
// one of them resolved the conversation; switchboard's history has the
// contact's side, the bot's and the connecting message only.
func inboxStory() (*ledger, *truth) {
	l, tr := story()
	u := l.users[0]
	u.Channel, u.Platform = "chatwoot", chatwoot.Platform
	u.Sessions[0].Platform, u.Sessions[0].Mode = chatwoot.Platform, modeResolve
	u.Agent[1].Bye = false
	tr.histories["u1"] = slices.DeleteFunc(tr.histories["u1"], func(m switchboard.Message) bool { return m.ID >= 60 && m.ID <= 90 })
	u.Received = slices.DeleteFunc(u.Received, func(m recvMsg) bool { return m.ID == 80 })
	tr.sessions["s1"] = serverSession{ID: "s1", Platform: chatwoot.Platform, State: "ended", EndReason: "agent_closed", Claimed: true}
	return l, tr
}

func TestVerifyInAChatwootInbox(t *testing.T) {
	l, tr := inboxStory()
	if got := failed(verify(l, tr, 0, time.Now())); len(got) > 0 {
		t.Fatalf("the story that went right failed %v", got)
	}
	for _, c := range []struct {
		name  string
		spoil func(l *ledger, tr *truth)
		want  []string
	}{
		{"switchboard stored an agent's message", func(l *ledger, tr *truth) {
			tr.histories["u1"] = slices.Insert(tr.histories["u1"], 5, msg(60, switchboard.SenderAgent, "s1", text("a1-m3 agent answer")))
		}, []string{checkAgentStored}},
		{"the contact's message in the session was the bot's", func(l *ledger, tr *truth) {
			tr.histories["u1"][4].SessionID = ""
		}, []string{checkToAgent}},
		{"the session ended as signed off", func(l *ledger, tr *truth) {
			tr.sessions["s1"] = serverSession{ID: "s1", Platform: chatwoot.Platform, State: "ended", EndReason: "user_ended", Claimed: true}
		}, []string{checkEndReason}},
	} {
		l, tr := inboxStory()
		c.spoil(l, tr)
		if got := failed(verify(l, tr, 0, time.Now())); !slices.Equal(got, c.want) {
			t.Errorf("%s: failed %v, want %v", c.name, got, c.want)
		}
	}
}
