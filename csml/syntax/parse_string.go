package syntax

import (
	"strings"
	"unicode/utf8"
)

// template splits the content of a string token into literal text and
// {{ expr }} interpolations. In the text, \n \t \r \' \" \\ are escapes and a
// backslash before any other character stands for that character (so \{{
// writes braces). Inside {{ }}, strings are written \"...\".
func (p *parser) template(t Token) Expr {
	s := &StringLit{P: t.Pos}
	content := t.Text
	base := t.Pos.Offset + 1
	line, col := t.Pos.Line, t.Pos.Col+1
	move := func(from, to int) {
		for _, c := range []byte(content[from:to]) {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
	}
	var buf strings.Builder
	flush := func() {
		if buf.Len() > 0 {
			s.Parts = append(s.Parts, Part{Text: buf.String()})
			buf.Reset()
		}
	}
	for i := 0; i < len(content); {
		c := content[i]
		switch {
		case c == '\\' && i+1 < len(content):
			r, n := utf8.DecodeRuneInString(content[i+1:])
			buf.WriteRune(unescape(r))
			move(i, i+1+n)
			i += 1 + n
		case c == '{' && i+1 < len(content) && content[i+1] == '{':
			flush()
			at := Pos{Offset: base + i + 2, Line: line, Col: col + 2}
			x, end := p.interpolation(at, base+len(content))
			s.Parts = append(s.Parts, Part{X: x})
			move(i, end-base)
			i = end - base
		default:
			buf.WriteByte(c)
			move(i, i+1)
			i++
		}
	}
	flush()
	if len(s.Parts) == 0 {
		s.Parts = []Part{{}}
	}
	return s
}

func unescape(r rune) rune {
	switch r {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	}
	return r
}

// interpolation parses the expression of a {{ }} starting at at, within a
// string ending at limit; it returns the expression (an empty string for
// {{ }}) and the offset just past the closing }}.
func (p *parser) interpolation(at Pos, limit int) (Expr, int) {
	q := newParser(p.src, newSubScanner(p.src, at, limit, true), p.errs, p.depth)
	q.inString = true
	closing := func() bool {
		next := q.peek(1)
		return q.tok.Kind == RBrace && next.Kind == RBrace && next.Pos.Offset == q.tok.End
	}
	var x Expr
	if closing() {
		x = &StringLit{P: at, Parts: []Part{{}}}
	} else {
		x = q.expr()
		if !closing() {
			q.failTok(errExpandable)
		}
	}
	return x, q.peek(1).End
}
