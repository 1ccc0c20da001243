package gorgias

import "testing"

func TestTextToHTML(t *testing.T) {
	if got := textToHTML("a < b\nc"); got != "a &lt; b<br>c" {
		t.Errorf("textToHTML = %q", got)
	}
}
