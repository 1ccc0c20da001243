package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// frame writes LSP messages as an editor sends them on the server's stdin.
func frame(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(m), m)
	}
	return b.String()
}

// unframe reads the messages the server wrote on its stdout.
func unframe(t *testing.T, out string) []map[string]any {
	t.Helper()
	var msgs []map[string]any
	for out != "" {
		head, rest, ok := strings.Cut(out, "\r\n\r\n")
		n, err := strconv.Atoi(strings.TrimPrefix(head, "Content-Length: "))
		if !ok || err != nil || n > len(rest) {
			t.Fatalf("bad frame at %q", out)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(rest[:n]), &m); err != nil {
			t.Fatal(err)
		}
		msgs, out = append(msgs, m), rest[n:]
	}
	return msgs
}

// switchboard csml lsp finds the bot folder of a flow file: its diagnostics
// are validate's for the whole bot, and definitions lead to the other flows'
// files.
func TestCSMLLSPCommand(t *testing.T) {
	dir := writeBot(t, map[string]string{
		"Default": "start:\n  say \"hi\"\n  goto flow Other\n",
		"Other":   "start:\n  goto missing@Default\n",
	})
	uri := func(flow string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "flows", flow+".csml"))}).String()
	}
	input := frame(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"csml","version":1,"text":"start:\n  say \"hi\"\n  goto flow Other\n"}}}`, uri("Default")),
		fmt.Sprintf(`{"jsonrpc":"2.0","id":2,"method":"textDocument/definition","params":{"textDocument":{"uri":%q},"position":{"line":2,"character":13}}}`, uri("Default")),
		fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"csml","version":1,"text":"start:\n  goto missing@Default\n"}}}`, uri("Other")),
		`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	)
	code, out, errOut := runWithInput(t, input, "csml", "lsp")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	msgs := unframe(t, out)
	var definition map[string]any
	var otherDiags []any
	for _, m := range msgs {
		if m["id"] == 2.0 {
			definition, _ = m["result"].(map[string]any)
		}
		if p, _ := m["params"].(map[string]any); m["method"] == "textDocument/publishDiagnostics" && p["uri"] == uri("Other") {
			otherDiags, _ = p["diagnostics"].([]any)
		}
	}
	if definition == nil || definition["uri"] != uri("Other") {
		t.Errorf("definition of flow Other: %v\n%s", definition, out)
	}
	if len(otherDiags) != 1 || !strings.Contains(fmt.Sprint(otherDiags[0]), "goto: step [missing] does not exist in flow [Default]") {
		t.Errorf("diagnostics of Other: %v", otherDiags)
	}
}
