package botfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadStudioExport(t *testing.T) {
	b, err := Load("testdata/studio-export")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != "0b9d2f8e-6a51-4c1f-9e0a-3f5b7c2d1e44" || b.Name != "Shop assistant" || b.DefaultFlow != "Default" {
		t.Fatalf("bot fields: %+v", b)
	}
	if len(b.Flows) != 2 || !strings.Contains(b.Flows[0].Content, "Welcome to the shop") {
		t.Fatalf("flows: %+v", b.Flows)
	}
	// flows/orders.csml matched the flow "Orders" although the case differs.
	if !strings.Contains(b.Flows[1].Content, "look up your order") || b.Flows[1].Commands[1] != "where is my order" {
		t.Fatalf("flow Orders: %+v", b.Flows[1])
	}
	// bot.json itself is accepted as the path too.
	b2, err := Load("testdata/studio-export/bot.json")
	if err != nil || b2.ID != b.ID || len(b2.Flows) != 2 {
		t.Fatalf("loading bot.json directly: %v %+v", err, b2)
	}
}

func TestLoadBotModelWithInlineFlows(t *testing.T) {
	b, err := Load("testdata/botmodel.json")
	if err != nil {
		t.Fatal(err)
	}
	if b.Flows[0].ID != "f1" || !strings.Contains(b.Flows[0].Content, `say "hi"`) || string(b.Env) != `{"shop": "acme"}` {
		t.Fatalf("%+v", b)
	}
}

func TestLoadTheBundledExample(t *testing.T) {
	b, err := Load("../examples/livechat")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Flows[0].Content, "LIVECHAT_SESSION_START") {
		t.Fatal("the example bot does not offer a livechat button")
	}
}

func TestLoadErrorsSayWhatToFix(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		path string
		want string
	}{
		{"testdata/missing-flow", `flow "Gone": ` + filepath.Join("testdata", "missing-flow", "flows", "Gone.csml") + ` is missing; flows/ holds Default.csml`},
		{"testdata/nowhere", "no such file or directory"},
		{write("broken.json", `{"id": "x",`), "broken.json is not valid JSON"},
		{write("noid.json", `{"name": "x", "flows": [{"name": "a", "content": ""}]}`), `has no "id"`},
		{write("noflows.json", `{"id": "x", "flows": []}`), "lists no flows"},
		{write("twice.json", `{"id": "x", "flows": [{"name": "a", "content": ""}, {"name": "A", "content": ""}]}`), `lists flow "A" twice`},
		{write("default.json", `{"id": "x", "default_flow": "zzz", "flows": [{"name": "a", "content": ""}]}`), `default_flow "zzz" is not one of its flows`},
		{write("slash.json", `{"id": "a/b", "flows": [{"name": "a", "content": ""}]}`), `id "a/b" contains '/'`},
		{write("zero-width.json", `{"id": "a\u200bb", "flows": [{"name": "a", "content": ""}]}`), `U+200B (an invisible character)`},
		{write("nul-name.json", `{"id": "ab", "name": "a\u0000b", "flows": [{"name": "a", "content": ""}]}`), `name contains U+0000`},
	}
	for _, c := range cases {
		_, err := Load(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s): got %v, want an error containing %q", c.path, err, c.want)
		}
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"bots/x/bot.json":          {Data: []byte(`{"id": "x", "flows": [{"name": "Main", "commands": []}]}`)},
		"bots/x/flows/Main.csml":   {Data: []byte("start:\n  goto end\n")},
		"bots/big/bot.json":        {Data: []byte(`{"id": "big", "flows": [{"name": "Main"}]}`)},
		"bots/big/flows/Main.csml": {Data: make([]byte, maxFileBytes+1)},
	}
	b, err := LoadFS(fsys, "bots/x")
	if err != nil || b.DefaultFlow != "Main" || b.Name != "x" {
		t.Fatalf("%v %+v", err, b)
	}
	if _, err := LoadFS(fsys, "bots/big"); err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Fatalf("oversized flow: %v", err)
	}
}
