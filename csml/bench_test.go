package csml

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"switchboard/csml/syntax"
)

// benchFlow is a ~500-line flow: 25 steps of about 20 lines each.
func benchFlow() string {
	var b strings.Builder
	b.WriteString("start:\n  goto step_0\n\n")
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, `step_%d:
  // greet and ask
  say "Hello {{_metadata.firstname}}, this is step %d"
  say Typing(500)
  do total = %d * 2 + 1
  if (event == "restart") {
    goto start
  } else if (event match ["help", "aide"]) {
    say Question("Need help?", buttons = [Button("Yes"), Button("No", payload = "NO")])
    hold
  } else {
    remember last_step = "step_%d"
  }
  do profile = {"step": %d, "tags": ["a", "b"], "score": total / 3}
  say "Score: {{profile.score}}"
  foreach (tag, i) in profile.tags {
    say "{{i}}: {{tag}}"
  }
  goto step_%d

`, i, i, i, i, i, i+1)
	}
	b.WriteString("step_25:\n  goto end\n")
	return b.String()
}

func BenchmarkParse500Lines(b *testing.B) {
	src := benchFlow()
	if n := strings.Count(src, "\n"); n < 450 {
		b.Fatalf("only %d lines", n)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := syntax.Parse("flow", src); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
}

// benchStep is a typical step: interpolation, a condition, a component, a
// remember, about ten actions.
const benchStep = `start:
  say "Hello {{_metadata.firstname}}!"
  do count = 1
  do count += 1
  if (event == "yes") {
    say "Great, {{count}} times"
    remember answer = event
  } else {
    say "Why not?"
  }
  say Question("Continue?", buttons = [Button("Yes"), Button("No")])
  say Typing(300)
  hold
`

func BenchmarkRunTurn(b *testing.B) {
	bot, diags := Compile(Source{ID: "bench", DefaultFlow: "flow", Flows: []FlowSource{{Name: "flow", Content: benchStep}}})
	if bot == nil {
		b.Fatal(diags)
	}
	c := Context{Flow: "flow", Step: "start", Metadata: json.RawMessage(`{"firstname":"Ada"}`)}
	ev := Event{ContentType: "text", ContentValue: "yes", Content: json.RawMessage(`{"text":"yes"}`)}
	ctx := context.Background()
	if res := bot.Run(ctx, c, ev, Host{}); len(res.Messages) != 4 || res.Hold == nil {
		b.Fatalf("unexpected result %+v", res)
	}
	b.ReportAllocs()
	for b.Loop() {
		bot.Run(ctx, c, ev, Host{})
	}
}
