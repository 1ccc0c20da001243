package syntax

import (
	"strings"
	"testing"
)

func TestScanner(t *testing.T) {
	src := "ask-name: x-1 - 2 .5 1_000 2nd /* c */ // d\n\"a\\\"b\" >= != !match"
	var got []string
	sc := NewScanner(src)
	for tok := sc.Next(); tok.Kind != EOF; tok = sc.Next() {
		got = append(got, tok.Kind.String()+":"+tok.Text)
	}
	want := []string{"identifier:ask-name", "':'::", "identifier:x-1", "'-':-", "int:2", "float:.5", "int:1_000",
		"identifier:2nd", `string:a\"b`, "'>=':>=", "'!=':!=", "'!':!", "identifier:match"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("tokens:\n got  %q\n want %q", got, want)
	}
}

func TestPositions(t *testing.T) {
	src := "start:\n\tsay  \"é\" + x\n"
	f, errs := Parse("f", src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	say := f.Steps["start"].Body.Stmts[0].(*Say)
	bin := say.X.(*Binary)
	if p := bin.R.Start(); p.Line != 2 || p.Col != 14 {
		t.Errorf("x at %v, want 2:14 (byte column)", p)
	}
	if p := say.Start(); p.Line != 2 || p.Col != 2 {
		t.Errorf("say at %v", p)
	}
}

// TestNumbering checks the reference's hold numbering.
func TestNumbering(t *testing.T) {
	src := `start:
  say 0
  if (a) {
    say 1
    if (b) { say 2 }
  } else if (c) {
    say 3
  } else {
    foreach (x) in y { say 4 hold }
  }
  say 6
  if (z) {}
  say 7
`
	f, errs := Parse("f", src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	stmts := f.Steps["start"].Body.Stmts
	type want struct{ index, total int }
	for i, w := range []want{{0, 0}, {1, 4}, {6, 0}, {7, 0}, {7, 0}} {
		if n := stmts[i].Number(); n.Index != w.index || n.Total != w.total {
			t.Errorf("stmt %d: %+v, want %+v", i, *n, w)
		}
	}
	ifs := stmts[1].(*If)
	if ifs.Last != 2 || ifs.ElseIf.Last != 3 {
		t.Errorf("last indexes %d %d", ifs.Last, ifs.ElseIf.Last)
	}
	loop := ifs.ElseIf.Else.Stmts[0].(*Foreach)
	if n := loop.Number(); n.Index != 4 || n.Total != 1 {
		t.Errorf("foreach %+v", *n)
	}
}

func TestExcerpt(t *testing.T) {
	src := "start:\n  say (1\n"
	_, errs := Parse("f", src)
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	want := "at line 3,\n\n^\nexpecting ')' to close the '(' of line 2, column 7; found the end of the flow\n\n"
	if got := Format(src, errs[0]); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := Excerpt("a\n\tbad line  \nc", Pos{Offset: 3, Line: 2, Col: 2}); got != "\tbad line\n ^" {
		t.Errorf("excerpt %q", got)
	}
}

func TestNumbers(t *testing.T) {
	for s, ok := range map[string]bool{"42": true, "-3": true, "+7": true, "4.2": true, ".5": true, "1e5": true,
		"inf": true, "NaN": true, "1_000": false, "0x10": false, " 1": false, "abc": false, "": false} {
		if _, got := ParseFloat(s); got != ok {
			t.Errorf("ParseFloat(%q) = %v", s, got)
		}
	}
	for s, ok := range map[string]bool{"42": true, "-3": true, "+7": true, "4.2": false, "--1": false, "99999999999999999999": false} {
		if _, got := ParseInt(s); got != ok {
			t.Errorf("ParseInt(%q) = %v", s, got)
		}
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	src := "start:\n  say " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n"
	_, errs := Parse("f", src)
	if len(errs) == 0 {
		t.Fatal("no error for a 100000-deep expression")
	}
}

// Every error of a step is reported, each with a message that says what is
// wrong and what to write, not only the first error of the flow.
func TestEveryErrorOfAStep(t *testing.T) {
	src := "start:\n  remember x =\n  say\n  hold\n  x = 2\n  if (a { say 1 }\n  goto end\n"
	_, errs := Parse("f", src)
	want := []string{
		"2:15: 'remember x =' needs a value after '='. Example: remember x = 1",
		"3:6: 'say' needs a value after it. Example: say \"Hello\"",
		"5:3: 'x' is not an action: to set a variable write 'do x = ...' (or 'remember x = ...' to keep it in the memory)",
		"6:9: expecting ',' or ')' to close the '(' of line 6, column 6; found '{'",
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The errors of a flow are bounded: a source with an error on every line
// gives MaxErrors of them and one that says the rest is not read.
func TestErrorsAreCapped(t *testing.T) {
	src := "start:\n" + strings.Repeat("  say\n", 3*MaxErrors)
	_, errs := Parse("f", src)
	if len(errs) != MaxErrors+1 || !strings.Contains(errs[MaxErrors].Msg, "fix these first") {
		t.Fatalf("%d errors, last %v", len(errs), errs[len(errs)-1])
	}
}

// A goto without a target is reported just after the goto, and an
// interpolation cut short names the end of its string, not of the flow.
func TestMessagesSayWhere(t *testing.T) {
	_, errs := Parse("f", "start:\n  goto\n  say \"{{ x + \"\n  do total.count +=\n  hold\n")
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := "2:7: missing step name after goto. Example: goto next_step, goto flow other or goto next_step@other\n" +
		"3:15: expecting a value (a number, a string, a variable, a call, [ ] or { }), found the end of the string\n" +
		"4:20: 'do total.count +=' needs a value after '+='. Example: do total.count += 1"
	if strings.Join(got, "\n") != want {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

// An excerpt of a long line shows the part around the column, the caret
// under it.
func TestExcerptOfLongLine(t *testing.T) {
	line := strings.Repeat("a", 1000) + "XY" + strings.Repeat("b", 1000)
	got := Excerpt(line, Pos{Offset: 1000, Line: 1, Col: 1001})
	text, caret, _ := strings.Cut(got, "\n")
	if len(text) > excerptWidth+6 || !strings.HasPrefix(text, "...") || !strings.HasSuffix(text, "...") {
		t.Fatalf("excerpt line %q", text)
	}
	if col := len(caret) - 1; text[col:col+2] != "XY" {
		t.Errorf("the caret is under %q, not XY", text[col:col+2])
	}
	if got := Excerpt("ab\n", Pos{Offset: 1, Line: 1, Col: 2}); got != "ab\n ^" {
		t.Errorf("short line: %q", got)
	}
}
