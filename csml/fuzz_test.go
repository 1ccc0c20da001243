package csml

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzRun compiles and runs arbitrary flows, every step of them: a run
// must never hit an internal error (a recovered panic), nor outlast its
// time budget by much.
func FuzzRun(f *testing.F) {
	files, _ := filepath.Glob("testdata/flows/*.csml")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b), "hello")
		}
	}
	f.Fuzz(func(t *testing.T, src, text string) {
		bot, _ := Compile(Source{ID: "bot", DefaultFlow: "flow", Flows: []FlowSource{{Name: "flow", Content: src}}})
		if bot == nil {
			return
		}
		content, _ := json.Marshal(map[string]string{"text": text})
		host := Host{Limits: Limits{Steps: 20, Loops: 1000, Memory: 1 << 20, Time: 50 * time.Millisecond}}
		for _, step := range bot.prog.Flows["flow"].Order {
			start := time.Now()
			res := bot.Run(context.Background(), Context{Flow: "flow", Step: step.Name}, Event{ContentType: "text", ContentValue: text, Content: content}, host)
			for _, m := range res.Messages {
				if strings.Contains(string(m.Content), "internal error") {
					t.Fatalf("step %s: %s", step.Name, m.Content)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("step %s ran %s, past its 50ms budget", step.Name, d)
			}
		}
	})
}
