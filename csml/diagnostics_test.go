package csml

import (
	"strings"
	"testing"

	"switchboard/csml/syntax"
)

// A bot with a problem every few bytes gets a bounded list of diagnostics,
// each with a short excerpt, and the count of the rest: a validation of such
// a bot took the server's memory when every problem was kept.
func TestCompileBoundsDiagnostics(t *testing.T) {
	var flows []FlowSource
	for i, src := range []string{
		strings.Repeat("a:\n", 20000),                          // the same step, over and over
		"start:\n" + strings.Repeat("  goto nowhere\n", 20000), // gotos to a step that is not there
		strings.Repeat("const a = b\n", 20000),                 // constants that read a variable
		"start:\n  say 1 " + strings.Repeat("goto a ", 20000),  // one long line
	} {
		flows = append(flows, FlowSource{Name: string(rune('A' + i)), Content: src})
	}
	for _, f := range flows {
		_, diags := Compile(Source{ID: "b", Flows: []FlowSource{f}})
		if len(diags) == 0 || len(diags) > 2*syntax.MaxErrors+2 {
			t.Errorf("flow %s: %d diagnostics, want 1 to %d", f.Name, len(diags), 2*syntax.MaxErrors+2)
		}
		for _, d := range diags {
			if len(d.Excerpt) > 350 { // a line cut to 160 bytes and its caret
				t.Fatalf("flow %s: an excerpt of %d bytes: %q", f.Name, len(d.Excerpt), d.Excerpt[:350])
			}
		}
	}
	var many []FlowSource
	for i := range 30 {
		many = append(many, FlowSource{Name: "f" + strings.Repeat("x", i), Content: flows[0].Content})
	}
	_, diags := Compile(Source{ID: "b", Flows: many})
	if len(diags) != MaxDiagnostics+1 {
		t.Fatalf("%d diagnostics for 30 broken flows, want %d and one that counts the rest", len(diags), MaxDiagnostics+1)
	}
	if last := diags[len(diags)-1].Message; !strings.Contains(last, "more problems are not listed") {
		t.Errorf("last diagnostic %q", last)
	}
}

// A constant that reads a variable is an error, reported with its place
// (its error message was lost when the runs of constants had no message
// budget).
func TestConstantReadingAVariableIsAnError(t *testing.T) {
	_, diags := Compile(Source{ID: "b", Flows: []FlowSource{{Name: "Default", Content: "const a = b\nstart:\n  say a\n"}}})
	if len(diags) != 1 || diags[0].Severity != SeverityError || diags[0].Line != 1 || !strings.Contains(diags[0].Message, "Constant invalid expression type") {
		t.Fatalf("diagnostics %+v", diags)
	}
}
