package lsp

import (
	"strings"
	"unicode/utf8"
)

// LSP positions count lines from 0 and characters in UTF-16 code units;
// CSML positions count lines and byte columns from 1.

// lineStart returns the byte offset where the 0-based line begins, or -1.
func lineStart(text string, line int) int {
	off := 0
	for ; line > 0; line-- {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// lineText returns the 0-based line without its end of line.
func lineText(text string, line int) string {
	off := lineStart(text, line)
	if off < 0 {
		return ""
	}
	if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
		return strings.TrimSuffix(text[off:off+i], "\r")
	}
	return text[off:]
}

// toLSP converts a CSML line and byte column (from 1) to an LSP position;
// a missing position (line 0) is the start of the document.
func toLSP(text string, line, col int) position {
	if line <= 0 {
		return position{}
	}
	l := lineText(text, line-1)
	b := min(max(col-1, 0), len(l))
	return position{Line: line - 1, Character: utf16Len(l[:b])}
}

// offsetOf converts an LSP position to a byte offset in text (clamped to
// the line's end), or -1 when the line does not exist.
func offsetOf(text string, p position) int {
	off := lineStart(text, p.Line)
	if off < 0 {
		return -1
	}
	l := lineText(text, p.Line)
	units := 0
	for i, r := range l {
		if units >= p.Character {
			return off + i
		}
		units += utf16Units(r)
	}
	return off + len(l)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}

func utf16Units(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
