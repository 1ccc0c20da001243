package like

import "testing"

func TestContainsEscapesWildcards(t *testing.T) {
	for in, want := range map[string]string{
		"ann":    "%ann%",
		"50%":    `%50\%%`,
		"a_b":    `%a\_b%`,
		`c:\dir`: `%c:\\dir%`,
		"":       "%%",
	} {
		if got := Contains(in); got != want {
			t.Errorf("Contains(%q) = %q, want %q", in, got, want)
		}
	}
}
