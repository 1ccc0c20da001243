// Package like writes the LIKE patterns both stores search text with, so
// that what a user types is matched literally.
package like

import "strings"

// escaper escapes LIKE's wildcards and its escape character, backslash.
var escaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Contains is the pattern, for LIKE ... ESCAPE '\', of the values that hold
// s anywhere: % and _ in s match themselves, not any text.
func Contains(s string) string {
	return "%" + escaper.Replace(s) + "%"
}
