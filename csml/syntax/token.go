// Package syntax turns CSML flow sources into syntax trees: a scanner, a
// recursive-descent parser that collects every error it can recover from, the
// tree itself (every node carries its position), and the reference engine's
// hold numbering of actions. It knows nothing of running a bot.
package syntax

import "fmt"

// Pos is a position in a flow source: a byte offset, a 1-based line and a
// 1-based byte column, as the reference engine reports them.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// String formats the position as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Kind is the kind of a token.
type Kind uint8

// Token kinds. Keywords are scanned as Word: CSML keywords are only
// keywords where the grammar expects them.
const (
	EOF Kind = iota
	Illegal
	Word
	Int
	Float
	String    // "..." (a template, parsed further by the parser)
	RawString // \"...\" inside an interpolation: no escapes, no templates
	LParen
	RParen
	LBrace
	RBrace
	LBracket
	RBracket
	Comma
	Colon
	Dot
	At
	Dollar
	Equal
	PlusAssign
	MinusAssign
	StarAssign
	SlashAssign
	PercentAssign
	Eq
	Ne
	Lt
	Le
	Gt
	Ge
	Plus
	Minus
	Star
	Slash
	Percent
	And
	Or
	Bang
)

var kindNames = [...]string{
	EOF: "end of flow", Illegal: "illegal character", Word: "identifier", Int: "int",
	Float: "float", String: "string", RawString: "string", LParen: "'('", RParen: "')'",
	LBrace: "'{'", RBrace: "'}'", LBracket: "'['", RBracket: "']'", Comma: "','",
	Colon: "':'", Dot: "'.'", At: "'@'", Dollar: "'$'", Equal: "'='", PlusAssign: "'+='",
	MinusAssign: "'-='", StarAssign: "'*='", SlashAssign: "'/='", PercentAssign: "'%='",
	Eq: "'=='", Ne: "'!='", Lt: "'<'", Le: "'<='", Gt: "'>'", Ge: "'>='", Plus: "'+'",
	Minus: "'-'", Star: "'*'", Slash: "'/'", Percent: "'%'", And: "'&&'", Or: "'||'",
	Bang: "'!'",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("token(%d)", k)
}

// Token is one lexical token. Text is the token's source text; for String
// and RawString it is the content between the quotes, still escaped.
type Token struct {
	Kind Kind
	Pos  Pos
	End  int // byte offset just past the token
	Text string
}
