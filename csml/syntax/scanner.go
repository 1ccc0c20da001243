package syntax

import (
	"unicode"
	"unicode/utf8"
)

// Scanner splits a range of a flow source into tokens. Whitespace is space,
// tab, CR and LF; comments are // to the end of the line and /* */ (an
// unterminated /* comments out the rest, as in the reference).
type Scanner struct {
	src  string
	off  int
	end  int
	line int
	col  int
	// template is set when scanning the inside of a {{ }} interpolation, where
	// \"...\" is a raw string literal.
	template bool
}

// NewScanner scans the whole of src.
func NewScanner(src string) *Scanner {
	return &Scanner{src: src, end: len(src), line: 1, col: 1}
}

// newSubScanner scans src[start:end], start being at position at.
func newSubScanner(src string, at Pos, end int, template bool) *Scanner {
	return &Scanner{src: src, off: at.Offset, end: end, line: at.Line, col: at.Col, template: template}
}

func (s *Scanner) pos() Pos { return Pos{Offset: s.off, Line: s.line, Col: s.col} }

// advance moves n bytes forward on the current line (no newline inside).
func (s *Scanner) advance(n int) {
	s.off += n
	s.col += n
}

// advanceOver moves to offset to, counting the newlines on the way.
func (s *Scanner) advanceOver(to int) {
	for s.off < to {
		if s.src[s.off] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.off++
	}
}

func (s *Scanner) skipSpaceAndComments() {
	for s.off < s.end {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			s.advanceOver(s.off + 1)
		case c == '/' && s.off+1 < s.end && s.src[s.off+1] == '/':
			i := s.off
			for i < s.end && s.src[i] != '\n' {
				i++
			}
			s.advanceOver(i)
		case c == '/' && s.off+1 < s.end && s.src[s.off+1] == '*':
			i := s.off + 2
			for i < s.end && !(s.src[i] == '*' && i+1 < s.end && s.src[i+1] == '/') {
				i++
			}
			if i < s.end {
				i += 2
			}
			s.advanceOver(i)
		default:
			return
		}
	}
}

// isIdentRune reports whether r may appear in an identifier (letters, digits,
// underscore), as the reference's alphanumeric test.
func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

func (s *Scanner) runeAt(i int) (rune, int) {
	if i >= s.end {
		return utf8.RuneError, 0
	}
	c := s.src[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s.src[i:s.end])
}

// scanWord returns the end of the identifier starting at i. A '-' belongs to
// the identifier when an identifier character follows it, as the reference
// reads "ask-name" as one name.
func (s *Scanner) scanWord(i int) int {
	for i < s.end {
		r, n := s.runeAt(i)
		if isIdentRune(r) {
			i += n
			continue
		}
		if r == '-' {
			if r2, _ := s.runeAt(i + 1); isIdentRune(r2) {
				i++
				continue
			}
		}
		break
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanDigits returns the end of a run of digits, each optionally followed by
// underscores (the reference's decimal grammar).
func (s *Scanner) scanDigits(i int) int {
	for i < s.end && isDigit(s.src[i]) {
		i++
		for i < s.end && s.src[i] == '_' {
			i++
		}
	}
	return i
}

// Next returns the next token; at the end of the range it returns EOF.
func (s *Scanner) Next() Token {
	s.skipSpaceAndComments()
	start := s.pos()
	if s.off >= s.end {
		return Token{Kind: EOF, Pos: start, End: s.off}
	}
	c := s.src[s.off]
	tok := func(k Kind, n int) Token {
		s.advance(n)
		return Token{Kind: k, Pos: start, End: s.off, Text: s.src[start.Offset:s.off]}
	}
	peek := func(k int) byte {
		if s.off+k < s.end {
			return s.src[s.off+k]
		}
		return 0
	}
	switch {
	case isDigit(c) || (c == '.' && isDigit(peek(1))):
		return s.scanNumber(start)
	case c == '"':
		return s.scanString(start)
	case c == '\\' && s.template && peek(1) == '"':
		return s.scanRawString(start)
	}
	if r, n := s.runeAt(s.off); isIdentRune(r) {
		end := s.scanWord(s.off + n)
		return tok(Word, end-s.off)
	}
	two := func(next byte, k2, k1 Kind) Token {
		if peek(1) == next {
			return tok(k2, 2)
		}
		return tok(k1, 1)
	}
	switch c {
	case '(':
		return tok(LParen, 1)
	case ')':
		return tok(RParen, 1)
	case '{':
		return tok(LBrace, 1)
	case '}':
		return tok(RBrace, 1)
	case '[':
		return tok(LBracket, 1)
	case ']':
		return tok(RBracket, 1)
	case ',':
		return tok(Comma, 1)
	case ':':
		return tok(Colon, 1)
	case '.':
		return tok(Dot, 1)
	case '@':
		return tok(At, 1)
	case '$':
		return tok(Dollar, 1)
	case '=':
		return two('=', Eq, Equal)
	case '!':
		return two('=', Ne, Bang)
	case '<':
		return two('=', Le, Lt)
	case '>':
		return two('=', Ge, Gt)
	case '+':
		return two('=', PlusAssign, Plus)
	case '-':
		return two('=', MinusAssign, Minus)
	case '*':
		return two('=', StarAssign, Star)
	case '/':
		return two('=', SlashAssign, Slash)
	case '%':
		return two('=', PercentAssign, Percent)
	case '&':
		if peek(1) == '&' {
			return tok(And, 2)
		}
	case '|':
		if peek(1) == '|' {
			return tok(Or, 2)
		}
	}
	_, n := s.runeAt(s.off)
	return tok(Illegal, n)
}

// scanNumber scans 42, 4.2, .5 and 1_000. A number directly followed by
// identifier characters is an identifier such as a step named "2nd_step".
func (s *Scanner) scanNumber(start Pos) Token {
	i := s.off
	kind := Int
	if s.src[i] == '.' {
		kind = Float
		i = s.scanDigits(i + 1)
	} else {
		i = s.scanDigits(i)
		if i+1 < s.end && s.src[i] == '.' && isDigit(s.src[i+1]) {
			kind = Float
			i = s.scanDigits(i + 1)
		}
	}
	if r, _ := s.runeAt(i); kind == Int && isIdentRune(r) {
		kind = Word
		i = s.scanWord(i)
	}
	s.advance(i - s.off)
	return Token{Kind: kind, Pos: start, End: s.off, Text: s.src[start.Offset:s.off]}
}

// scanString scans a double-quoted string up to the first unescaped quote;
// strings may span lines. Text is the raw content.
func (s *Scanner) scanString(start Pos) Token {
	i := s.off + 1
	escape := false
	for i < s.end {
		c := s.src[i]
		if c == '"' && !escape {
			text := s.src[s.off+1 : i]
			s.advanceOver(i + 1)
			return Token{Kind: String, Pos: start, End: s.off, Text: text}
		}
		escape = c == '\\' && !escape
		i++
	}
	s.advanceOver(s.end)
	return Token{Kind: Illegal, Pos: start, End: s.off, Text: "\""}
}

// scanRawString scans \"...\" inside an interpolation.
func (s *Scanner) scanRawString(start Pos) Token {
	i := s.off + 2
	for i+1 < s.end {
		if s.src[i] == '\\' && s.src[i+1] == '"' {
			text := s.src[s.off+2 : i]
			s.advanceOver(i + 2)
			return Token{Kind: RawString, Pos: start, End: s.off, Text: text}
		}
		i++
	}
	s.advanceOver(s.end)
	return Token{Kind: Illegal, Pos: start, End: s.off, Text: "\\\""}
}
