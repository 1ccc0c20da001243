package switchboard

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// The ASCII shortcut of invisible says what the Unicode tables say.
func TestInvisibleASCIIAgreesWithUnicode(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		want := r != ' ' && unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z, unicode.Other_Default_Ignorable_Code_Point,
			unicode.Variation_Selector, unicode.Noncharacter_Code_Point)
		if got := invisible(r); got != want {
			t.Errorf("invisible(%U) = %v, want %v", r, got, want)
		}
	}
}
