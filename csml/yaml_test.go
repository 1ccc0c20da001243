package csml

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestToJSONYAMLAliases: a bot reads YAML with anchors and aliases, and a
// "billion laughs" document (nine levels of ten aliases, 10^9 leaves from
// a few hundred bytes) ends quickly in a memory-limit error instead of
// exhausting the server.
func TestToJSONYAMLAliases(t *testing.T) {
	bomb := `a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`
	for i := 1; i <= 9; i++ {
		p := "*a" + string(rune('0'+i-1))
		bomb += "a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(p+", ", 9) + p + `]\n`
	}
	for code, want := range map[string]string{
		`say "base: &b {port: 5432}\nprod: *b".to_json().prod.port`: `{"text":"5432"}`,
		`say "` + bomb + `".to_json()`:                              "[Memory limit] YAML aliases expand past 67108864 bytes",
	} {
		bot, diags := Compile(Source{ID: "b", DefaultFlow: "f", Flows: []FlowSource{{Name: "f", Content: "start:\n  " + code + "\n"}}})
		if bot == nil {
			t.Fatal(diags)
		}
		start := time.Now()
		res := bot.Run(context.Background(), Context{}, Event{}, Host{})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%.60s: took %v", code, d)
		}
		if len(res.Messages) == 0 || !strings.Contains(string(res.Messages[0].Content), want) {
			t.Errorf("%.60s: messages %v, want %s", code, res.Messages, want)
		}
	}
}
