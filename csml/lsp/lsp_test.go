package lsp

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"switchboard/csml"
)

const (
	mainURI  = "file:///bots/shop/flows/Main.csml"
	otherURI = "file:///bots/shop/flows/Other.csml"
	mainSrc  = "start:\n  say Length(\"abc\")\n  do total = add(1, 2)\n  goto ask\n\nask:\n  say Button(\"Yes\")\n  goto flow Other\n\nfn add(a, b):\n  return a + b\n"
	otherSrc = "import add from Main\n\nstart:\n  say \"in other\"\n  goto later@Main\n"
)

// shopBot is the LoadBot of a bot folder /bots/shop with flows Main and
// Other, as switchboard csml lsp finds one on disk.
func shopBot(path string) (Bot, error) {
	src := csml.Source{ID: "shop", DefaultFlow: "Main", DropBrokenFlows: true, Flows: []csml.FlowSource{
		{Name: "Main", Content: mainSrc}, {Name: "Other", Content: otherSrc},
	}}
	files := map[string]string{"Main": "/bots/shop/flows/Main.csml", "Other": "/bots/shop/flows/Other.csml"}
	for name, p := range files {
		if p == path {
			return Bot{Key: "/bots/shop", Source: src, Flow: name, Files: files}, nil
		}
	}
	return Bot{}, nil
}

func initialize(t *testing.T, opts Options) *client {
	c := startClient(t, opts)
	var res struct {
		Capabilities map[string]any `json:"capabilities"`
	}
	if err := c.call("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}}, &res); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"textDocumentSync", "definitionProvider", "hoverProvider", "completionProvider"} {
		if res.Capabilities[k] == nil {
			t.Errorf("initialize: no %s in %v", k, res.Capabilities)
		}
	}
	c.notify("initialized", map[string]any{})
	return c
}

func open(c *client, uri, text string) []diagnostic {
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "csml", "version": 1, "text": text}})
	return c.diagnostics(uri)
}

func change(c *client, uri, text string) []diagnostic {
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": text}}})
	return c.diagnostics(uri)
}

func at(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}
}

func TestLifecycle(t *testing.T) {
	c := initialize(t, Options{})
	if err := c.call("textDocument/formatting", at(mainURI, 0, 0), nil); err == nil || err.Code != codeMethodNotFound {
		t.Errorf("unknown method: %v", err)
	}
	if err := c.call("shutdown", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.call("textDocument/hover", at(mainURI, 0, 0), nil); err == nil || err.Code != codeInvalidRequest {
		t.Errorf("request after shutdown: %v", err)
	}
	c.notify("exit", nil)
	if err := <-c.done; err != nil {
		t.Errorf("exit after shutdown: %v", err)
	}

	c = initialize(t, Options{})
	c.notify("exit", nil)
	if err := <-c.done; err != errNoShutdown {
		t.Errorf("exit without shutdown: %v", err)
	}
}

// The diagnostics of a document are validate's, updated as it changes: every
// parse error, then (once it parses) lint errors such as a goto to a step
// that does not exist, at the goto's line and column.
func TestDiagnosticsAsYouType(t *testing.T) {
	c := initialize(t, Options{LoadBot: shopBot})
	if got := open(c, mainURI, mainSrc); len(got) != 0 {
		t.Fatalf("a valid flow has diagnostics %v", got)
	}
	if got := open(c, otherURI, otherSrc); len(got) != 1 || !strings.Contains(got[0].Message, "goto: step [later] does not exist in flow [Main]") ||
		got[0].Range.Start != (position{4, 7}) || got[0].Range.End != (position{4, 12}) {
		t.Fatalf("goto to a missing step of another flow: %+v", got)
	}
	c.diagnostics(mainURI) // Main's, published again after Other's
	broken := "start:\n  remember x =\n  say\n  hold\n  say \"é\" + )\n"
	got := change(c, mainURI, broken)
	var lines []string
	for _, d := range got {
		lines = append(lines, d.Message)
		if d.Severity != severityError {
			t.Errorf("severity %d: %s", d.Severity, d.Message)
		}
	}
	want := []string{"'remember x =' needs a value after '='", "'say' needs a value after it", "expecting a value (a number, a string, a variable, a call, [ ] or { }), found ')'"}
	if len(got) != len(want) {
		t.Fatalf("diagnostics %q, want %q", lines, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i].Message, w) {
			t.Errorf("diagnostic %d: %q, want %q", i, got[i].Message, w)
		}
	}
	// The ')' of line 5 is at byte column 14, UTF-16 character 12 (é is
	// two bytes, one unit).
	if got[2].Range != (lspRange{position{4, 12}, position{4, 13}}) || got[0].Range.Start != (position{1, 14}) {
		t.Errorf("positions: %+v", got)
	}
	if got := change(c, mainURI, mainSrc); len(got) != 0 {
		t.Errorf("fixed flow: %+v", got)
	}
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": mainURI}})
	if got := c.diagnostics(mainURI); len(got) != 0 {
		t.Errorf("closed document: %+v", got)
	}
}

// A lone .csml file (no bot folder) is a bot of one flow.
func TestLoneFlow(t *testing.T) {
	c := initialize(t, Options{LoadBot: shopBot})
	got := open(c, "file:///tmp/hello.csml", "start:\n  goto nowhere\n")
	if len(got) != 1 || !strings.Contains(got[0].Message, "step [nowhere] does not exist in flow [hello]") {
		t.Fatalf("%+v", got)
	}
}

func TestDefinition(t *testing.T) {
	c := initialize(t, Options{LoadBot: shopBot})
	open(c, mainURI, mainSrc)
	for _, tc := range []struct {
		name       string
		uri        string
		line, char int
		want       location
	}{
		{"goto step", mainURI, 3, 8, location{mainURI, lspRange{position{5, 0}, position{5, 3}}}},
		{"goto flow (a file not open)", mainURI, 7, 14, location{otherURI, lspRange{position{2, 0}, position{2, 5}}}},
		{"function of the flow", mainURI, 2, 14, location{mainURI, lspRange{position{9, 0}, position{9, 0}}}},
	} {
		var loc location
		if err := c.call("textDocument/definition", at(tc.uri, tc.line, tc.char), &loc); err != nil || loc != tc.want {
			t.Errorf("%s: %+v (%v), want %+v", tc.name, loc, err, tc.want)
		}
	}
	// "import add from Main" in Other leads to the function in Main.
	open(c, otherURI, otherSrc)
	var loc location
	want := location{mainURI, lspRange{position{9, 0}, position{9, 0}}}
	if err := c.call("textDocument/definition", at(otherURI, 0, 8), &loc); err != nil || loc != want {
		t.Errorf("imported function: %+v (%v), want %+v", loc, err, want)
	}
}

func TestCompletion(t *testing.T) {
	c := initialize(t, Options{LoadBot: shopBot})
	open(c, mainURI, mainSrc+"\nlast:\n  goto \n  goto flow O\n  say Bu\n")
	labels := func(line, char int) map[string]completionItem {
		var items []completionItem
		if err := c.call("textDocument/completion", at(mainURI, line, char), &items); err != nil {
			t.Fatal(err)
		}
		m := map[string]completionItem{}
		for _, it := range items {
			m[it.Label] = it
		}
		return m
	}
	if got := labels(13, 7); !slices.Equal(slices.Sorted(maps.Keys(got)), []string{"ask", "end", "last", "start"}) {
		t.Errorf("after goto: %v", slices.Sorted(maps.Keys(got)))
	}
	if got := labels(14, 13); !slices.Equal(slices.Sorted(maps.Keys(got)), []string{"Main", "Other"}) {
		t.Errorf("after goto flow: %v", slices.Sorted(maps.Keys(got)))
	}
	got := labels(15, 8)
	for label, detail := range map[string]string{
		"Button": "Button(title: String, payload?: String, accepts?: Array)",
		"Length": "Length(value)",
		"add":    "fn add(a, b)",
		"HTTP":   "HTTP(url)",
	} {
		if got[label].Detail != detail {
			t.Errorf("%s: %+v, want detail %q", label, got[label], detail)
		}
	}
	for _, name := range builtinNames() {
		if got[name].Label == "" {
			t.Errorf("builtin %s is not offered", name)
		}
	}
}

func TestHover(t *testing.T) {
	c := initialize(t, Options{LoadBot: shopBot})
	open(c, mainURI, mainSrc)
	for _, tc := range []struct {
		line, char int
		want       string
	}{
		{1, 7, "Length(value)"},
		{6, 8, "Button(title: String, payload?: String, accepts?: Array)"},
		{2, 13, "fn add(a, b)"},
		{3, 9, "step **ask** of flow Main, line 6"},
	} {
		var h hover
		if err := c.call("textDocument/hover", at(mainURI, tc.line, tc.char), &h); err != nil || !strings.Contains(h.Contents.Value, tc.want) {
			t.Errorf("hover at %d:%d: %q (%v), want %q", tc.line, tc.char, h.Contents.Value, err, tc.want)
		}
	}
}

// The builtins' documentation table has one entry per builtin the standard
// library registers, no more.
func TestBuiltinDocsCoverTheLibrary(t *testing.T) {
	if got := slices.Sorted(maps.Keys(builtinDocs)); !slices.Equal(got, builtinNames()) {
		t.Errorf("documented %v\nregistered %v", got, builtinNames())
	}
}
