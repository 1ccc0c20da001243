package engine_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"switchboard"
	"switchboard/csml"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/store/sqlite"
)

// csmlBot exercises the conversation semantics of the reference engine
// (csml.md §14): commands, flow triggers, regex events, holds, memories,
// conversation ends, _metadata, _env, HTTP through the host, log actions.
var csmlBot = switchboard.Bot{
	ID: "sem", Name: "Semantics", DefaultFlow: "Main", Env: json.RawMessage(`{"greeting":"Hi"}`),
	Flows: []switchboard.Flow{
		{ID: "main-id", Name: "Main", Commands: []string{"/main"}, Content: `start:
  say "{{_env.greeting}} {{_metadata.firstname}}"
  hold
  remember answer = event
  remember answer = "{{event}}!"
  say "got {{answer}}"
  goto end
`},
		{ID: "help-id", Name: "Help", Commands: []string{"Help", "support please"}, Content: `start:
  say "help start"
  goto end
faq:
  log warn "faq asked"
  say "help faq"
  goto end
`},
		{ID: "api-id", Name: "Api", Commands: []string{"/api"}, Content: `start:
  say HTTP("https://api.example.com/n").send().n
  goto end
`},
	},
}

type csmlFixture struct {
	t     *testing.T
	ctx   context.Context
	eng   *engine.Engine
	store *sqlite.DB
	key   switchboard.ClientKey
	logs  []string
}

func newCSMLFixture(t *testing.T) *csmlFixture {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sb.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &csmlFixture{t: t, ctx: ctx, store: store, key: switchboard.ClientKey{BotID: "sem", ChannelID: "web", UserID: "u"}}
	host := csml.Host{
		HTTP: func(_ context.Context, r csml.HTTPRequest) (csml.HTTPResponse, error) {
			return csml.HTTPResponse{Status: 200, Body: []byte(`{"n":7}`)}, nil
		},
		Log: func(level, msg string) { f.logs = append(f.logs, level+": "+msg) },
	}
	f.eng = engine.New(store, nil, engine.NewBots(), engine.Config{Clock: testclock.New(t0), CSML: host})
	if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(csmlBot, t0)); err != nil {
		t.Fatal(err)
	}
	return f
}

// send posts an event and returns the texts of the replies, with "END"
// appended when the conversation ended.
func (f *csmlFixture) send(contentType, content string, metadata string) []string {
	f.t.Helper()
	req := engine.Request{Client: f.key, Payload: switchboard.Payload{ContentType: contentType, Content: json.RawMessage(content)}}
	if metadata != "" {
		req.Metadata = json.RawMessage(metadata)
	}
	r, err := f.eng.HandleEvent(f.ctx, req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", contentType, content, err)
	}
	var out []string
	for _, m := range r.Messages {
		var c struct {
			Text  *string `json:"text"`
			Error string  `json:"error"`
		}
		_ = json.Unmarshal(m.Payload.Content, &c)
		switch {
		case c.Text != nil:
			out = append(out, *c.Text)
		default:
			out = append(out, m.Payload.ContentType+": "+c.Error)
		}
	}
	if r.ConversationEnd {
		out = append(out, "END")
	}
	return out
}

func (f *csmlFixture) expect(got []string, want ...string) {
	f.t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		f.t.Fatalf("got %q, want %q", got, want)
	}
}

func TestCSMLConversationSemantics(t *testing.T) {
	f := newCSMLFixture(t)
	// No command matches: the default flow starts; _env and _metadata.
	f.expect(f.send("text", `{"text":"hello"}`, `{"firstname":"Ada"}`), "Hi Ada")
	// The hold resumes with the next event; the last write of a memory
	// wins in storage.
	f.expect(f.send("text", `{"text":"blue"}`, ""), "got blue!", "END")
	var mems []switchboard.Memory
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		mems, err = tx.Memories(f.ctx, f.key)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(mems) != 1 || mems[0].Key != "answer" || string(mems[0].Value) != `"blue!"` {
		t.Fatalf("memories %+v", mems)
	}
	// Commands match without case, even in the middle of a held flow.
	f.expect(f.send("text", `{"text":"hello"}`, ""), "Hi Ada")
	f.expect(f.send("text", `{"text":"HELP"}`, ""), "help start", "END")
	f.expect(f.send("payload", `{"payload":"Support Please"}`, ""), "help start", "END")
	// A flow trigger names a flow by id or name, and a step.
	f.expect(f.send("flow_trigger", `{"flow_id":"help-id","step_id":"faq"}`, ""), "help faq", "END")
	f.expect(f.send("flow_trigger", `{"flow_id":"nope"}`, ""), "Hi Ada")
	// A regex event starts the flow of a command it matches.
	f.expect(f.send("regex", `{"payload":"^sup+ort"}`, ""), "help start", "END")
	// HTTP goes through the host.
	f.expect(f.send("text", `{"text":"/api"}`, ""), "7", "END")
	if len(f.logs) != 1 || f.logs[0] != "warn: faq asked" {
		t.Fatalf("logs %q", f.logs)
	}
}

// TestCSMLHoldOfAChangedStepRestarts reloads the bot with the held step
// changed: the hold is dropped and the flow restarts, as the reference does
// when the step's hash differs.
func TestCSMLHoldOfAChangedStepRestarts(t *testing.T) {
	f := newCSMLFixture(t)
	f.expect(f.send("text", `{"text":"hello"}`, `{"firstname":"Ada"}`), "Hi Ada")
	changed := csmlBot
	changed.Flows = append([]switchboard.Flow{}, csmlBot.Flows...)
	changed.Flows[0].Content = strings.Replace(changed.Flows[0].Content, `say "got {{answer}}"`, `say "now {{answer}}"`, 1)
	if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(changed, t0)); err != nil {
		t.Fatal(err)
	}
	f.expect(f.send("text", `{"text":"blue"}`, ""), "Hi Ada")
}

// TestCSMLFlowTriggerCloseFlows starts a new conversation when a flow
// trigger asks to close_flows (CSML Studio's chat API), and continues the
// open one otherwise.
func TestCSMLFlowTriggerCloseFlows(t *testing.T) {
	f := newCSMLFixture(t)
	conv := func(content string) string {
		r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: f.key, Payload: switchboard.Payload{ContentType: "flow_trigger", Content: json.RawMessage(content)}})
		if err != nil || len(r.Messages) == 0 {
			t.Fatalf("%s: %v %v", content, r, err)
		}
		return r.Messages[0].ConversationID
	}
	first := conv(`{"flow_id":"Main"}`)
	if again := conv(`{"flow_id":"Main"}`); again != first {
		t.Fatalf("a flow trigger left the open conversation: %s then %s", first, again)
	}
	if closed := conv(`{"flow_id":"Main","close_flows":true}`); closed == first {
		t.Fatal("close_flows kept the open conversation")
	}
}
