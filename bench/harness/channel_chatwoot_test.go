package main

import (
	"context"
	"strings"
	"testing"

	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestInboxAudit: the audit of a Chatwoot inbox's conversation finds the
// agent bot speaking while the conversation is open, but for the
// session's notices, and whether the bot has it back.
func TestInboxAudit(t *testing.T) {
	sim, err := channelTypes["chatwoot"].Start(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	c := sim.(*inboxSim)
	if err := c.Subscribe(context.Background(), "http://127.0.0.1:1/unused"); err != nil {
		t.Fatal(err)
	}
	user := c.UserID(1)
	if err := c.Write(context.Background(), user, "u1-m1 hello bot"); err != nil {
		t.Fatal(err)
	}
	conv := c.conv(user)
	act := func(kind, text string) {
		t.Helper()
		if _, err := c.s.Act(conv, chatwootsim.Action{Kind: kind, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	act(chatwootsim.ActBot, "bot: u1-m1 hello bot")
	act(chatwootsim.ActReopen, "")
	act(chatwootsim.ActBot, livechat.DefaultConnectingMessage)
	act(chatwootsim.ActBot, queuePrefix+"1")
	act(chatwootsim.ActBot, "bot: u1-m2 question")
	talked, back := c.Audit(user)
	if len(talked) != 1 || !strings.Contains(talked[0], "u1-m2") || !strings.Contains(talked[0], "open") || back {
		t.Fatalf("audit of an open conversation the bot spoke in: %q, handed back %v", talked, back)
	}
	act(chatwootsim.ActPending, "")
	act(chatwootsim.ActBot, resumeEnded)
	if talked, back = c.Audit(user); len(talked) != 1 || !back {
		t.Fatalf("audit after the hand-back: %q, handed back %v", talked, back)
	}
	if got := c.Received(user); len(got) != 5 || got[0].Text != "bot: u1-m1 hello bot" {
		t.Fatalf("received %+v", got)
	}
}
