package csml

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustCompile(t *testing.T, flows ...FlowSource) *Bot {
	t.Helper()
	bot, diags := Compile(Source{ID: "bot", DefaultFlow: flows[0].Name, Flows: flows})
	if bot == nil {
		t.Fatalf("compile: %+v", diags)
	}
	return bot
}

func texts(res Result) []string {
	var out []string
	for _, m := range res.Messages {
		var c map[string]any
		_ = json.Unmarshal(m.Content, &c)
		switch {
		case c["text"] != nil:
			out = append(out, c["text"].(string))
		case c["error"] != nil:
			out = append(out, "error: "+c["error"].(string))
		default:
			out = append(out, string(m.Content))
		}
	}
	return out
}

const askFlow = `start:
  say "name?"
  hold
  if (event == "") {
    say "empty"
  } else {
    do greeting = "Hi"
    say "{{greeting}} {{event}}, age?"
    hold
    say "{{greeting}} again, {{event}} years"
  }
  goto end
`

// TestHoldRoundTrip stores the hold as JSON between runs, as the engine does.
func TestHoldRoundTrip(t *testing.T) {
	bot := mustCompile(t, FlowSource{ID: "f1", Name: "flow", Content: askFlow})
	run := func(c Context, text string) Result {
		return bot.Run(context.Background(), c, Event{ContentType: "text", ContentValue: text}, Host{})
	}
	res := run(Context{}, "")
	if got := texts(res); len(got) != 1 || got[0] != "name?" || res.Hold == nil || res.End {
		t.Fatalf("first turn: %q hold=%v end=%v", got, res.Hold, res.End)
	}
	for i, want := range []string{"Hi Ada, age?", "Hi again, 36 years"} {
		stored, err := json.Marshal(res.Hold)
		if err != nil {
			t.Fatal(err)
		}
		var hold Hold
		if err := json.Unmarshal(stored, &hold); err != nil {
			t.Fatal(err)
		}
		res = run(Context{Flow: res.Flow, Step: res.Step, Hold: &hold, Memories: res.Current}, []string{"Ada", "36"}[i])
		if got := texts(res); len(got) != 1 || got[0] != want {
			t.Fatalf("turn %d: got %q, want %q", i+2, got, want)
		}
	}
	if !res.End || res.Hold != nil || res.Step != "end" {
		t.Fatalf("last turn: end=%v hold=%v step=%q", res.End, res.Hold, res.Step)
	}
}

// TestHoldStepChanged drops a hold whose step changed and restarts the flow.
func TestHoldStepChanged(t *testing.T) {
	bot := mustCompile(t, FlowSource{Name: "flow", Content: askFlow})
	res := bot.Run(context.Background(), Context{}, Event{}, Host{})
	if res.Hold == nil || res.Hold.StepHash == "" {
		t.Fatalf("no hold hash: %+v", res.Hold)
	}
	// Whitespace and comments do not change the hash.
	same := mustCompile(t, FlowSource{Name: "flow", Content: "// comment\n" + strings.ReplaceAll(askFlow, "  ", "\t")})
	again := same.Run(context.Background(), Context{Hold: res.Hold}, Event{ContentValue: "Ada"}, Host{})
	if got := texts(again); len(got) != 1 || got[0] != "Hi Ada, age?" {
		t.Fatalf("unchanged step: %q", got)
	}
	changed := mustCompile(t, FlowSource{Name: "flow", Content: strings.Replace(askFlow, `"name?"`, `"your name?"`, 1)})
	restarted := changed.Run(context.Background(), Context{Flow: "flow", Step: "start", Hold: res.Hold}, Event{ContentValue: "Ada"}, Host{})
	if got := texts(restarted); len(got) != 1 || got[0] != "your name?" || restarted.Hold == nil {
		t.Fatalf("changed step: %q, hold %+v", got, restarted.Hold)
	}
}

func TestRunCanceled(t *testing.T) {
	bot := mustCompile(t, FlowSource{Name: "flow", Content: "start:\n  say \"spin\"\n  while (true) {\n    do x = 1\n  }\n"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res := bot.Run(ctx, Context{}, Event{}, Host{Limits: Limits{Loops: 1 << 40}})
	got := texts(res)
	if len(got) != 2 || got[0] != "spin" || !strings.Contains(got[1], "interpretation canceled") || !res.End {
		t.Fatalf("got %q end=%v", got, res.End)
	}
	if res.Duration <= 0 {
		t.Fatal("no duration")
	}
}

func TestRunNeverPanics(t *testing.T) {
	var bot *Bot
	res := bot.Run(context.Background(), Context{Flow: "flow"}, Event{}, Host{})
	if got := texts(res); len(got) != 1 || !strings.Contains(got[0], "internal error") || !res.End {
		t.Fatalf("got %q", got)
	}
}

func TestBotLookups(t *testing.T) {
	bot := mustCompile(t,
		FlowSource{ID: "id-main", Name: "Main", Content: "start:\n  say 1\n", Commands: []string{"/start"}},
		FlowSource{ID: "id-help", Name: "Help", Content: "start:\n  say 2\nfaq:\n  say 3\n", Commands: []string{"help", "/HELP"}},
	)
	if bot.ID() != "bot" || bot.DefaultFlow() != "Main" {
		t.Fatalf("id %q default %q", bot.ID(), bot.DefaultFlow())
	}
	for in, want := range map[string]string{"Main": "Main", "main": "Main", "ID-HELP": "Help", "help": "Help"} {
		if got, ok := bot.FlowByName(in); !ok || got != want {
			t.Errorf("FlowByName(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := bot.FlowByName("nope"); ok {
		t.Error("FlowByName(nope) found")
	}
	if got, ok := bot.FlowByCommand("/help"); !ok || got != "Help" {
		t.Errorf("FlowByCommand = %q, %v", got, ok)
	}
	if _, ok := bot.FlowByCommand("hello"); ok {
		t.Error("FlowByCommand(hello) found")
	}
	if !bot.HasStep("help", "faq") || bot.HasStep("Main", "faq") || bot.HasStep("nope", "start") {
		t.Error("HasStep")
	}
}

func TestCompileErrorsMakeNoBot(t *testing.T) {
	bot, diags := Compile(Source{Flows: []FlowSource{{Name: "a", Content: "start:\n  say \"ok\"\n  say (\n"}, {Name: "b", Content: "start:\n  do = 1\n"}}})
	if bot != nil {
		t.Fatal("a bot with parse errors")
	}
	flows := map[string]bool{}
	for _, d := range diags {
		if d.Severity != SeverityError || d.Line == 0 || d.Excerpt == "" {
			t.Errorf("diagnostic %+v", d)
		}
		flows[d.Flow] = true
		if f := d.Format(); !strings.HasPrefix(f, "at line ") || !strings.Contains(f, "^\n"+d.Message) {
			t.Errorf("format %q", f)
		}
	}
	if !flows["a"] || !flows["b"] {
		t.Errorf("want errors in both flows: %+v", diags)
	}
}

func TestHTTPWithoutHost(t *testing.T) {
	bot := mustCompile(t, FlowSource{Name: "flow", Content: "start:\n  do r = HTTP(\"https://example.com\").send()\n  say r.is_error()\n"})
	got := texts(bot.Run(context.Background(), Context{}, Event{}, Host{}))
	if len(got) != 2 || !strings.Contains(got[0], "HTTP calls are not available") || got[1] != "true" {
		t.Fatalf("got %q", got)
	}
}

// TestConcurrentRuns shares one compiled bot between goroutines (run with
// -race).
func TestConcurrentRuns(t *testing.T) {
	src, err := os.ReadFile("testdata/flows/stdlib.csml")
	if err != nil {
		t.Fatal(err)
	}
	bot := mustCompile(t, FlowSource{Name: "flow", Content: string(src)})
	want := texts(bot.Run(context.Background(), Context{}, Event{ContentValue: "ok", Content: json.RawMessage(`{"text":"ok"}`)}, Host{}))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got := texts(bot.Run(context.Background(), Context{}, Event{ContentValue: "ok", Content: json.RawMessage(`{"text":"ok"}`)}, Host{}))
			if len(got) != len(want) {
				t.Errorf("got %d messages, want %d", len(got), len(want))
			}
		})
	}
	wg.Wait()
}

// TestRunTimeLimit stops a run that outlasts its time budget.
func TestRunTimeLimit(t *testing.T) {
	bot := mustCompile(t, FlowSource{Name: "flow", Content: "start:\n  while (true) {\n    do x = 1\n  }\n"})
	start := time.Now()
	res := bot.Run(context.Background(), Context{}, Event{}, Host{Limits: Limits{Time: 30 * time.Millisecond, Loops: 1 << 40}})
	got := texts(res)
	if len(got) != 1 || !strings.Contains(got[0], "[Time limit] interpretation stopped after 30ms") || !res.End {
		t.Fatalf("got %q end=%v", got, res.End)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("stopped after %s", d)
	}
}
