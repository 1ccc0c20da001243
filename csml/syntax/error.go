package syntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a problem found in a flow source, at Pos (End is where the
// offending text ends, or Pos when unknown).
type Error struct {
	Pos Pos
	End Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// Excerpt returns the source line of the error and a caret under its column:
// "<line>\n<spaces>^". The caret is placed by byte column, as the reference
// does. A line longer than excerptWidth is cut to excerptWidth bytes around
// the column, marked "...", so that errors on one long line do not each
// carry a copy of it.
func Excerpt(src string, p Pos) string {
	if p.Line <= 0 || p.Offset > len(src) {
		return ""
	}
	begin := strings.LastIndexByte(src[:p.Offset], '\n') + 1
	end := strings.IndexByte(src[begin:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += begin
	}
	line := strings.TrimRight(src[begin:end], " \t\r")
	col := max(p.Col, 1)
	if len(line) > excerptWidth {
		from := max(0, min(col-1-excerptWidth/2, len(line)-excerptWidth))
		for from > 0 && !utf8.RuneStart(line[from]) {
			from--
		}
		to := min(len(line), from+excerptWidth)
		for to < len(line) && !utf8.RuneStart(line[to]) {
			to++
		}
		cut := line[from:to]
		if from > 0 {
			cut = "..." + cut
			col += 3 - from
		}
		if to < len(line) {
			cut += "..."
		}
		line = cut
	}
	return line + "\n" + strings.Repeat(" ", col-1) + "^"
}

// excerptWidth bounds the source line an excerpt shows, in bytes.
const excerptWidth = 160

// Format renders an error as the reference engine's validation message:
// "at line N,\n<source line>\n<caret>\n<message>\n\n".
func Format(src string, e *Error) string {
	return fmt.Sprintf("at line %d,\n%s\n%s\n\n", e.Pos.Line, Excerpt(src, e.Pos), e.Msg)
}
