package channel

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"switchboard"
)

var whatsappLimits = Limits{MaxButtons: 3, ButtonTitle: 20, MaxRows: 10, RowTitle: 24, IDLen: 200, TextLen: 4096}

// TestLayoutFallsBackWithoutCuttingTitles: buttons while they fit, then a
// list, then numbered text; duplicate or empty titles never make buttons.
func TestLayoutFallsBackWithoutCuttingTitles(t *testing.T) {
	titles := func(ts ...string) []Button {
		var out []Button
		for _, s := range ts {
			out = append(out, Button{Title: s, Payload: s})
		}
		return out
	}
	for _, c := range []struct {
		name string
		bs   []Button
		want Menu
	}{
		{"none", nil, MenuNone},
		{"three short", titles("A", "B", "C"), MenuButtons},
		{"four", titles("A", "B", "C", "D"), MenuList},
		{"a title of 21", titles("A title of 21 letters", "B"), MenuList},
		{"a title of 25", titles("A title of twenty-five ch", "B"), MenuNumbered},
		{"the same title twice", titles("Yes", "Yes"), MenuNumbered},
		{"eleven", titles("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), MenuNumbered},
	} {
		if got := Layout(c.bs, whatsappLimits); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestReadComponentGivesLongPayloadsAReference: a payload that does not
// fit a reply id, or could be read as a reference, is sent as one; numbers
// run across a carousel's cards.
func TestReadComponentGivesLongPayloadsAReference(t *testing.T) {
	long := strings.Repeat("p", 201)
	raw, _ := json.Marshal(map[string]any{"cards": []any{
		map[string]any{"content_type": "card", "content": map[string]any{"title": "One", "buttons": []any{map[string]string{"title": "Buy", "payload": long}}}},
		map[string]any{"title": "Two", "buttons": []any{map[string]string{"title": "Take", "payload": "~7.1"}, map[string]string{"title": "Keep"}}},
	}})
	c := ReadComponent(switchboard.Message{ID: 42, Payload: switchboard.Payload{ContentType: "carousel", Content: raw}}, whatsappLimits)
	bs := c.AllButtons()
	if len(c.Cards) != 2 || len(bs) != 3 {
		t.Fatalf("read %+v", c)
	}
	want := []Button{{Title: "Buy", Payload: long, ID: "~42.1", Number: 1}, {Title: "Take", Payload: "~7.1", ID: "~42.2", Number: 2}, {Title: "Keep", Payload: "Keep", ID: "Keep", Number: 3}}
	for i := range want {
		if bs[i] != want[i] {
			t.Errorf("button %d: %+v, want %+v", i, bs[i], want[i])
		}
	}
	if id, n, ok := parseRef("~42.2"); !ok || id != 42 || n != 2 {
		t.Errorf("parseRef(~42.2) = %d %d %v", id, n, ok)
	}
	for _, bad := range []string{"42.2", "~42", "~x.1", "~42.y"} {
		if _, _, ok := parseRef(bad); ok {
			t.Errorf("parseRef(%q) reads as a reference", bad)
		}
	}
}

// TestSplitTextKeepsEveryWord: pieces within the limit, cut at spaces, and
// nothing lost.
func TestSplitTextKeepsEveryWord(t *testing.T) {
	s := strings.TrimSpace(strings.Repeat("héllo wörld ", 900))
	parts := SplitText(s, 4096)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) > 4096 || strings.HasPrefix(p, " ") || strings.HasSuffix(p, " ") {
			t.Errorf("a part of %d characters: %q…", utf8.RuneCountInString(p), p[:20])
		}
	}
	if strings.Join(strings.Fields(strings.Join(parts, " ")), " ") != strings.TrimSpace(s) {
		t.Error("the parts do not make the text again")
	}
	if got := NumberedText("Pick", []Button{{Title: "Red", Number: 1}, {Title: "Blue", Number: 2}}); got != "Pick\n1. Red\n2. Blue" {
		t.Errorf("NumberedText = %q", got)
	}
}
