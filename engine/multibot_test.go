package engine_test

import (
	"encoding/json"
	"testing"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// The router sends users to the sales bot (named "shop" in the channel's
// list), which sends them back: goto step@flow in bot (csml.md, multibot).
var (
	routerBot = switchboard.Bot{ID: "router", Name: "Router", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: `start:
  remember name = "router memory"
  say "Routing you"
  goto start@Offers in shop

back:
  say "Welcome back, {{name}}"
  goto end
`}}}
	salesBot = switchboard.Bot{ID: "sales", Name: "Sales", DefaultFlow: "Main", Flows: []switchboard.Flow{
		{ID: "Main", Name: "Main", Commands: []string{}, Content: "start:\n  say \"sales main\"\n  goto end\n"},
		{ID: "Offers", Name: "Offers", Commands: []string{}, Content: `start:
  say "Sales here"
  remember name = "sales memory"
  hold
  say "You said {{event}}"
  goto back@Main in router
`}}}
)

func newMultibotFixture(t *testing.T, allowed switchboard.MultiBots) *csmlFixture {
	f := newCSMLFixture(t)
	f.key.BotID = "router"
	for _, b := range []switchboard.Bot{routerBot, salesBot} {
		if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(b, t0)); err != nil {
			t.Fatal(err)
		}
	}
	ch := switchboard.Channel{ID: f.key.ChannelID, BotID: "router", Type: switchboard.ChannelWebapp, Name: "Web", CreatedAt: t0, Multibot: allowed}
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error { return tx.PutChannel(f.ctx, &ch) }); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *csmlFixture) memory(botID, key string) string {
	f.t.Helper()
	k := f.key
	k.BotID = botID
	var out string
	err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		ms, err := tx.Memories(f.ctx, k)
		for _, m := range ms {
			if m.Key == key {
				if json.Unmarshal(m.Value, &out) != nil {
					out = string(m.Value)
				}
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *csmlFixture) openConversation() *switchboard.Conversation {
	f.t.Helper()
	var c *switchboard.Conversation
	err := f.store.View(f.ctx, func(tx switchboard.Tx) (err error) { c, err = tx.FindOpenConversation(f.ctx, f.key); return err })
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func TestGotoInBotNotAllowed(t *testing.T) {
	f := newMultibotFixture(t, nil)
	f.expect(f.send("text", `{"text":"hi"}`, ""), "Routing you", "error: Switching to Bot: (shop) is not allowed", "END")
	if c := f.openConversation(); c != nil {
		t.Fatalf("open conversation after a refused switch: %+v", c)
	}
}

func TestGotoInBotSwitchesBots(t *testing.T) {
	f := newMultibotFixture(t, switchboard.MultiBots{{ID: "sales", Name: "shop"}, {ID: "router"}})
	f.expect(f.send("text", `{"text":"hi"}`, ""), "Routing you", "switch_bot: ", "Sales here")
	c := f.openConversation()
	if c == nil || c.RunningBot != "sales" || c.FlowID != "Offers" {
		t.Fatalf("conversation after the switch: %+v", c)
	}
	// Each bot has its own memories, kept under the client with its id.
	if r, s := f.memory("router", "name"), f.memory("sales", "name"); r != "router memory" || s != "sales memory" {
		t.Fatalf("memories: router %q, sales %q", r, s)
	}
	// The next event goes to the sales bot's hold; it sends the user back,
	// where the router reads its own memory.
	f.expect(f.send("text", `{"text":"shoes"}`, ""), "You said shoes", "switch_bot: ", "Welcome back, router memory", "END")
	// A new conversation starts in the channel's bot.
	f.expect(f.send("text", `{"text":"again"}`, ""), "Routing you", "switch_bot: ", "Sales here")
}

func TestSwitchBotMessage(t *testing.T) {
	f := newMultibotFixture(t, switchboard.MultiBots{{ID: "sales", Name: "shop"}})
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: f.key, Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil || len(r.Messages) != 3 {
		t.Fatalf("%v %+v", err, r)
	}
	m := r.Messages[1]
	want := `{"bot_id":"sales","client":{"bot_id":"router","channel_id":"web","user_id":"u"}}`
	if m.Payload.ContentType != "switch_bot" || string(m.Payload.Content) != want {
		t.Fatalf("switch message %s %s, want %s", m.Payload.ContentType, m.Payload.Content, want)
	}
}

// TestLivechatFollowsTheSwitchedConversation: a session started while
// the conversation runs in another bot belongs to the conversation, and the
// handback resumes in the bot that held.
func TestLivechatFollowsTheSwitchedConversation(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	front := switchboard.Bot{ID: "front", Name: "Front", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{},
		Content: "start:\n  say \"Front desk\"\n  goto start@Main in tier2\n"}}}
	tier2 := switchboard.Bot{ID: "tier2", Name: "Tier 2", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: `start:
  say "Tier 2 here"
  hold
  say "tier2 takes back ({{event.reason}})"
  goto end
`}}}
	for _, b := range []switchboard.Bot{front, tier2} {
		if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(b, t0)); err != nil {
			t.Fatal(err)
		}
	}
	ch := switchboard.Channel{ID: "web", BotID: "front", Type: switchboard.ChannelWebapp, Name: "Web", CreatedAt: t0, Multibot: switchboard.MultiBots{{ID: "tier2"}}}
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error { return tx.PutChannel(f.ctx, &ch) }); err != nil {
		t.Fatal(err)
	}
	key := switchboard.ClientKey{BotID: "front", ChannelID: "web", UserID: "u1"}
	send := func(p switchboard.Payload) *engine.Reply {
		t.Helper()
		r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: key, Payload: p})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if got := texts(send(text("hi")).Messages); len(got) != 3 || got[2] != "SEND bot: Tier 2 here" {
		t.Fatalf("switch: %v", got)
	}
	if r := send(button(switchboard.PayloadSessionStart)); r.Session == nil || r.Session.Client != key {
		t.Fatalf("session start: %+v", r)
	}
	if r := send(text("I need a human")); len(r.Messages) != 0 || r.Session == nil {
		t.Fatalf("during the session the bot answered: %v", texts(r.Messages))
	}
	r := send(button(switchboard.PayloadSessionEnd))
	if got := texts(r.Messages); len(got) != 1 || got[0] != "SEND bot: tier2 takes back (user_ended)" || !r.ConversationEnd {
		t.Fatalf("handback: %v end=%v", got, r.ConversationEnd)
	}
}

// TestSwitchedToAnUnloadedBot: a conversation whose bot was unloaded
// since starts over in the channel's bot rather than failing.
func TestSwitchedToAnUnloadedBot(t *testing.T) {
	f := newMultibotFixture(t, switchboard.MultiBots{{ID: "sales", Name: "shop"}})
	f.expect(f.send("text", `{"text":"hi"}`, ""), "Routing you", "switch_bot: ", "Sales here")
	f.eng.Bots().Remove("sales")
	f.expect(f.send("text", `{"text":"shoes"}`, ""), "Routing you", "error: Switching to Bot: (shop) failed: bot \"sales\" is not loaded", "END")
}

// TestBotsSendingEachOtherStop: two bots sending the user to each other
// are stopped after 10 switches in one event.
func TestBotsSendingEachOtherStop(t *testing.T) {
	f := newMultibotFixture(t, switchboard.MultiBots{{ID: "ping"}, {ID: "pong"}})
	for _, b := range []switchboard.Bot{
		{ID: "router", Name: "Router", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: "start:\n  goto start@Main in ping\n"}}},
		{ID: "ping", Name: "Ping", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: "start:\n  goto start@Main in pong\n"}}},
		{ID: "pong", Name: "Pong", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: "start:\n  goto start@Main in ping\n"}}},
	} {
		if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(b, t0)); err != nil {
			t.Fatal(err)
		}
	}
	got := f.send("text", `{"text":"hi"}`, "")
	if len(got) != 12 || got[10] != "error: Switching to Bot: (ping) refused: one event switched bots 10 times" || got[11] != "END" {
		t.Fatalf("got %q", got)
	}
}
