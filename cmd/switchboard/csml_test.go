package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runWithInput(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(input), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestCSMLRun(t *testing.T) {
	input := `{"flows": {"flow": "start:\n  remember name = \"Ada\"\n  say \"Hi {{name}} {{_metadata.x}} {{event}}\"\n  say 1 / 0\n  say \"never\""},
	  "default_flow": "flow", "event": {"content_type": "text", "content_value": "yo", "content": {"text": "yo"}},
	  "context": {"metadata": {"x": 42}}}`
	code, out, errOut := runWithInput(t, input, "csml", "run")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var res struct {
		Messages []struct {
			Content     map[string]any `json:"content"`
			ContentType string         `json:"content_type"`
		} `json:"messages"`
		Memories []map[string]any `json:"memories"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res.Messages) != 2 || res.Messages[0].Content["text"] != "Hi Ada 42 yo" ||
		res.Messages[1].ContentType != "error" || res.Messages[1].Content["error"] != "[!] Int: Division by zero at line 4, column 7 at flow [flow]" {
		t.Fatalf("messages: %s", out)
	}
	if len(res.Memories) != 1 || res.Memories[0]["key"] != "name" || res.Memories[0]["value"] != "Ada" {
		t.Fatalf("memories: %s", out)
	}
}

// TestCSMLRunHold resumes a hold given in the reference's shape.
func TestCSMLRunHold(t *testing.T) {
	input := `{"flows": {"flow": "start:\n  say \"a\"\n  hold\n  say \"b {{v}}\""},
	  "context": {"step": "start", "flow": "flow", "hold": {"index": {"command_index": 1, "loop_index": []}, "step_vars": {"v": 3}, "step_name": "start", "flow_name": "flow", "previous": null, "secure": false}}}`
	code, out, _ := runWithInput(t, input, "csml", "run")
	if code != 0 || strings.TrimSpace(out) != `{"messages":[{"content":{"text":"b 3"},"content_type":"text"}],"memories":[]}` {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestCSMLRunErrors(t *testing.T) {
	for _, c := range []struct {
		input string
		code  int
		want  string
	}{
		{`{"flows": `, 2, `"error":"input is not valid JSON`},
		{`{"flows": {}}`, 2, `flows is empty`},
		{`{"kind": "lint", "flows": {"f": "start:"}}`, 2, `kind \"lint\" is unknown`},
		{`{"kind": "parse", "flows": {"f": "start:\n  say (1"}}`, 1, `"error":"flow f: expecting ')' to close the '(' of line 2, column 7`},
		{`{"kind": "parse", "flows": {"f": "start:\n  say 1"}}`, 0, `"messages":[]`},
		// A flow that does not parse is absent at run time, as in the reference.
		{`{"flows": {"f": "start:\n  say (1"}, "default_flow": "f"}`, 0, `flow: [f] does not exist in bot: [id]`},
	} {
		code, out, _ := runWithInput(t, c.input, "csml", "run")
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d, output %s; want %d and %s", c.input, code, out, c.code, c.want)
		}
	}
	if code, _, _ := runWithInput(t, "", "csml"); code != 2 {
		t.Errorf("csml without subcommand: exit %d", code)
	}
}

// writeBot writes a bot folder (bot.json + flows/) and returns its path.
func writeBot(t *testing.T, flows map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "flows"), 0o755); err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	for name, src := range flows {
		list = append(list, map[string]any{"name": name, "commands": []string{"/" + strings.ToLower(name)}})
		if err := os.WriteFile(filepath.Join(dir, "flows", name+".csml"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := json.Marshal(map[string]any{"id": "testbot", "name": "Test bot", "default_flow": "Default", "flows": list})
	if err := os.WriteFile(filepath.Join(dir, "bot.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestValidate(t *testing.T) {
	good := writeBot(t, map[string]string{"Default": "start:\n  use 1 as x\n  say \"hi\"\n  goto end\n"})
	code, out, _ := runWithInput(t, "", "validate", good)
	if code != 0 || !strings.Contains(out, "Test bot is valid, with 1 warning(s)") || !strings.Contains(out, "warning: flow Default, line 2, column 7: use will be soon a deprecated") {
		t.Fatalf("valid bot: exit %d\n%s", code, out)
	}
	bad := writeBot(t, map[string]string{
		"Default": "start:\n  say (1\n\nnext:\n  say 2 +\n",
		"Other":   "start:\n  say \"fine\"\n",
	})
	code, out, _ = runWithInput(t, "", "validate", bad)
	if code != 1 || !strings.Contains(out, "error: flow Default, line 4, column 1:") || !strings.Contains(out, "    next:\n    ^\n") || !strings.Contains(out, "2 error(s)") {
		t.Fatalf("invalid bot: exit %d\n%s", code, out)
	}
	code, out, _ = runWithInput(t, "", "validate", "--json", bad)
	var res struct {
		Valid  bool `json:"valid"`
		Errors []struct {
			Flow        string `json:"flow"`
			StartLine   int    `json:"start_line"`
			StartColumn int    `json:"start_column"`
			EndLine     int    `json:"end_line"`
			EndColumn   int    `json:"end_column"`
			Message     string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 || res.Valid || len(res.Errors) != 2 || res.Errors[0].Flow != "Default" || res.Errors[0].StartLine == 0 {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	lint := writeBot(t, map[string]string{"Default": "start:\n  say nope()\n"})
	if code, out, _ := runWithInput(t, "", "validate", lint, "--json"); code != 1 || !strings.Contains(out, `"message":"at line 2,\n  say nope()\n      ^\nfunction [nope] does not exist\n\n"`) {
		t.Fatalf("lint error: exit %d\n%s", code, out)
	}
	if code, _, errOut := runWithInput(t, "", "validate"); code != 2 || !strings.Contains(errOut, "usage: switchboard validate") {
		t.Fatalf("no path: exit %d %s", code, errOut)
	}
	if code, out, _ := runWithInput(t, "", "validate", filepath.Join(t.TempDir(), "none")); code != 1 || !strings.Contains(out, "no such file") {
		t.Fatalf("missing bot: exit %d %s", code, out)
	}
}

// TestChat plays two terminal sessions on the same data folder: buttons
// are numbered and a number sends the payload; memories persist.
func TestChat(t *testing.T) {
	bot := writeBot(t, map[string]string{"Default": `start:
  if (Exists("name")) {
    say "Welcome back {{name}}"
    goto end
  }
  say "Name?"
  hold
  remember name = event
  say Question("Pick one", buttons = [Button("Red", payload = "RED"), Button("Blue", payload = "BLUE")])
  hold
  say "You picked {{event}}"
  say Image("https://example.com/i.png")
  goto end
`})
	data := t.TempDir()
	code, out, errOut := runWithInput(t, "hello\nAda\n2\n/quit\n", "chat", bot, "--data", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"> Name?\n", "Pick one\n  1. Red\n  2. Blue\n", "You picked BLUE\n", "[image] https://example.com/i.png\n", "(end of conversation)"} {
		if !strings.Contains(out, want) {
			t.Errorf("session lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runWithInput(t, "hi again\n", "chat", "--data", data, bot)
	if !strings.Contains(out, "Welcome back Ada") {
		t.Errorf("second session:\n%s", out)
	}
}
