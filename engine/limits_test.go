package engine_test

import (
	"strings"
	"testing"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// TestABotTurnStoresBoundedMessages: a bot that says in an endless loop
// answers with 500 messages and an error, not 100,000.
func TestABotTurnStoresBoundedMessages(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	bot := switchboard.Bot{ID: "flood", Name: "Flood", DefaultFlow: "Main", Flows: []switchboard.Flow{
		{ID: "Main", Name: "Main", Content: "start:\n  while (true) {\n    say \"again\"\n  }\n", Commands: []string{}},
	}}
	if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(bot, t0)); err != nil {
		t.Fatal(err)
	}
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: switchboard.ClientKey{BotID: "flood", ChannelID: "web", UserID: "u1"}, Payload: text("hi")})
	if err != nil {
		t.Fatal(err)
	}
	n := len(r.Messages)
	if n != 501 || !strings.Contains(string(r.Messages[n-1].Payload.Content), "[Message limit]") || !r.ConversationEnd {
		t.Fatalf("%d messages, the last %s", n, r.Messages[n-1].Payload.Content)
	}
}
