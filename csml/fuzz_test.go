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

// FuzzRun compiles and runs arbitrary flows: a run must never hit an
// internal error (a recovered panic).
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
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		content, _ := json.Marshal(map[string]string{"text": text})
		for _, step := range bot.prog.Flows["flow"].Order {
			res := bot.Run(ctx, Context{Flow: "flow", Step: step.Name, StepLimit: 20}, Event{ContentType: "text", ContentValue: text, Content: content}, Host{})
			for _, m := range res.Messages {
				if strings.Contains(string(m.Content), "internal error") {
					t.Fatalf("step %s: %s", step.Name, m.Content)
				}
			}
		}
	})
}
