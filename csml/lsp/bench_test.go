package lsp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/csml"
)

// bigBot is a bot of 4 flows of 500 lines each: steps that say, ask with
// buttons, branch, remember, call functions and go to the next step.
func bigBot(path string) (Bot, error) {
	src := csml.Source{ID: "big", DefaultFlow: "flow0", DropBrokenFlows: true}
	files := map[string]string{}
	for i := range 4 {
		name := fmt.Sprintf("flow%d", i)
		src.Flows = append(src.Flows, csml.FlowSource{Name: name, Content: bigFlow(i)})
		files[name] = "/big/flows/" + name + ".csml"
	}
	for name, p := range files {
		if p == path {
			return Bot{Key: "/big", Source: src, Flow: name, Files: files}, nil
		}
	}
	return Bot{}, nil
}

func bigFlow(n int) string {
	var b strings.Builder
	b.WriteString("fn double(x):\n  return x * 2\n\n")
	lines := 3
	for i := 0; lines < 500-12; i++ {
		name := "start"
		if i > 0 {
			name = fmt.Sprintf("step%d", i)
		}
		fmt.Fprintf(&b, "%s:\n  say \"Step %d of flow %d, {{Length(answer)}}\"\n  say Question(\"Continue?\", buttons = [Button(\"Yes\"), Button(\"No\")])\n  hold\n  if (event.match(\"Yes\")) {\n    remember answer%d = double(%d)\n    goto step%d\n  } else {\n    say Text(\"Bye\")\n  }\n  goto end\n", name, i, n, i, i, i+1)
		lines += 11
	}
	b.WriteString(fmt.Sprintf("step%d:\n  say \"last\"\n  goto flow flow%d\n", (lines-3)/11, (n+1)%4))
	return b.String()
}

// BenchmarkKeystroke measures one keystroke in a flow of a 2,000-line bot:
// didChange sent, diagnostics of the whole bot published and read.
func BenchmarkKeystroke(b *testing.B) {
	t := &testing.T{}
	c := startClient(t, Options{LoadBot: bigBot})
	c.call("initialize", map[string]any{}, nil)
	uri := "file:///big/flows/flow1.csml"
	text := bigFlow(1)
	if got := open(c, uri, text); len(got) != 0 {
		b.Fatalf("the bot has problems: %+v", got)
	}
	if lines := 4 * strings.Count(text, "\n"); lines < 1900 {
		b.Fatalf("%d lines", lines)
	}
	b.ResetTimer()
	for i := range b.N {
		// A keystroke: a letter typed in a say, every other time removed.
		edited := strings.Replace(text, "say \"last\"", "say \"last"+strings.Repeat("x", i%2)+"\"", 1)
		if got := change(c, uri, edited); len(got) != 0 {
			b.Fatalf("diagnostics %+v", got)
		}
	}
}

// A keystroke in a 2,000-line bot is answered with its diagnostics within
// 50 ms (the median of 21; BenchmarkKeystroke gives the figure).
func TestKeystrokeWithin50ms(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing: not in -short or -race runs")
	}
	c := startClient(t, Options{LoadBot: bigBot})
	c.call("initialize", map[string]any{}, nil)
	uri := "file:///big/flows/flow2.csml"
	text := bigFlow(2)
	open(c, uri, text)
	var times []time.Duration
	for i := range 21 {
		edited := strings.Replace(text, "say \"last\"", "say \"last"+strings.Repeat("x", i%2)+"\"", 1)
		start := time.Now()
		change(c, uri, edited)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	if median := times[len(times)/2]; median > 50*time.Millisecond {
		t.Errorf("median keystroke %v, over 50 ms (all: %v)", median, times)
	}
}
