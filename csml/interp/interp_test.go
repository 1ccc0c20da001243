package interp

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"switchboard/csml/syntax"
)

func program(t *testing.T, src string, lib *Library) *Program {
	t.Helper()
	f, errs := syntax.Parse("flow", src)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	fl, errs := NewFlow(f)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	return &Program{ID: "bot", DefaultFlow: "flow", Flows: map[string]*Flow{"flow": fl}, Library: lib}
}

func TestPanicBecomesError(t *testing.T) {
	lib := &Library{Generic: map[string]Method{"boom": {Fn: func(*Call) (Value, error) { panic("kaboom") }}}}
	p := program(t, "start:\n  say \"before\"\n  remember kept = 1\n  do 1.boom()\n  say \"after\"\n", lib)
	out := p.Run(context.Background(), Input{Flow: "flow", Step: "start"})
	if len(out.Messages) != 2 || string(out.Messages[0].Content) != `{"text":"before"}` {
		t.Fatalf("messages %+v", out.Messages)
	}
	if m := out.Messages[1]; m.ContentType != "error" || !strings.Contains(string(m.Content), "internal error: kaboom") {
		t.Fatalf("error message %s", m.Content)
	}
	if !out.End || string(out.Current["kept"]) != "1" {
		t.Fatalf("end %v current %v", out.End, out.Current)
	}
}

func TestFormatFloat(t *testing.T) {
	for f, want := range map[float64]string{
		2: "2", 3.5: "3.5", 21.333333333333332: "21.333333333333332", 1e21: "1000000000000000000000",
		1e-7: "0.0000001", -0.5: "-0.5", math.Inf(1): "inf", math.Inf(-1): "-inf", point3(): "0.30000000000000004",
	} {
		if got := FormatFloat(f); got != want {
			t.Errorf("FormatFloat(%v) = %q, want %q", f, got, want)
		}
	}
	if got := FormatFloat(math.NaN()); got != "NaN" {
		t.Errorf("NaN: %q", got)
	}
}

// point3 is 0.1 + 0.2 computed in float64 (a constant would be exact).
func point3() float64 {
	a, b := 0.1, 0.2
	return a + b
}

// TestFloatJSON checks floats written as serde_json writes them.
func TestFloatJSON(t *testing.T) {
	for f, want := range map[float64]string{
		2: "2.0", 0: "0.0", 3.5: "3.5", 1e16: "1e16", 1e15: "1000000000000000.0", 1.5e-7: "1.5e-7",
		0.0001: "0.0001", 0.00001: "0.00001", 0.000001: "1e-6", 123456.789: "123456.789", -2.5e20: "-2.5e20", math.Inf(1): "null",
	} {
		if got := string(appendFloatJSON(nil, f)); got != want {
			t.Errorf("appendFloatJSON(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestMemoryFormatRoundTrip(t *testing.T) {
	for _, in := range []string{
		`{"_content_type":"object","_content":{"a":[1,2.5,"x"],"b":{"c":null}}}`,
		`{"_content_type":"button","_content":{"title":"t","nested":{"_content_type":"card","_content":{"x":true}}}}`,
		`[{"_content_type":"object","_content":{"a":1}},2]`,
		`"text"`, `42`, `-1.5`, `true`, `null`,
	} {
		v, err := ParseMemory([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := string(appendMem(nil, v, true)); got != in {
			t.Errorf("round trip:\n got  %s\n want %s", got, in)
		}
	}
	if _, err := ParseMemory([]byte(`{"a":`)); err == nil {
		t.Error("invalid JSON accepted")
	}
}

func TestJSONStrings(t *testing.T) {
	s := "quote\" back\\ nl\n tab\t ctl\x01 uni é 😀 \xff"
	got := string(appendJSONString(nil, s))
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if want := strings.ReplaceAll(s, "\xff", "\ufffd"); back != want {
		t.Errorf("got %q want %q", back, want)
	}
	v, err := ParseJSON([]byte(`{"k":"a\u00e9\ud83d\ude00\n"}`))
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := v.Obj().Get("k"); x.Str() != "aé😀\n" {
		t.Errorf("decoded %q", x.Str())
	}
}
