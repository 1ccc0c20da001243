package syntax

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Messages shared with the reference engine's parser.
const (
	errParsing        = "Invalid argument. One of the action keywords [say, do, if, ...] is missing"
	errActionArgument = "expecting valid argument after action keywords. Example: say value"
	errRemember       = "'remember' must be assigning to a variable via '='. Example: 'remember key = value'"
	errUse            = "'use' must be assigning a variable with keyword 'as'. Example: 'use value as key'"
	errReturn         = "return expects a value to return"
	errReserved       = "reserved keyword can't be used as identifier"
	errNumberAsIdent  = "Int/Float can't be used as identifier"
	errSizeIdent      = "key can't be longer than 255 character"
	errLeftBrace      = "expecting '{'"
	errRightBrace     = "expecting '}'"
	errRightBracket   = "expecting ']'"
	errLeftParen      = "list elem type ( ... ) not found"
	errRightParen     = "Invalid argument. Expecting one ',' between each argument or ')' to end the list"
	errGotoStep       = "missing step name after goto"
	errDoubleQuote    = "expecting '\"' to end string"
	errExpandable     = "wrong argument(s) given to expandable string"
	errImportArgument = "'import' expecting valid function name. Example: 'import function from flow'"
	errInsertArgument = "'insert' expecting valid step name. Example: 'insert step from flow'"
	errFnColon        = "Expecting ':' at the end of function prototype. Example: 'fn name():' "
)

// assignReserved are the names that cannot be assigned or used as step,
// goto, alias or parameter names (tokens.rs ASSIGNATION_RESERVED; the
// reference compares them lowercased).
var assignReserved = words("foreach while if else import as do event flow step say use hold goto match remember forget _metadata _memory _env true false null break")

// useReserved are the names that cannot be read as variables
// (UTILISATION_RESERVED).
var useReserved = words("foreach while if else import const insert as do flow step say use hold goto match remember forget break")

// actionWords start an action.
var actionWords = words("say debug log do if foreach while break continue goto previous remember forget hold hold_secure return use")

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// bailout unwinds the parser to the nearest recovery point after an error
// has been recorded.
type bailout struct{}

type parser struct {
	src     string
	sc      *Scanner
	tok     Token
	prevEnd int
	ahead   []Token
	errs    *[]*Error
	// depth counts nested expressions and blocks, bounded by maxDepth so
	// that a hostile source cannot exhaust the stack.
	depth int
}

const maxDepth = 500

func newParser(src string, sc *Scanner, errs *[]*Error, depth int) *parser {
	p := &parser{src: src, sc: sc, errs: errs, depth: depth}
	p.tok = sc.Next()
	return p
}

// MaxErrors bounds the problems reported for one flow, by Parse and by Lint
// (each then adds one that says so): a hostile source could otherwise make
// one per few bytes, each taking far more memory than its source.
const MaxErrors = 100

// Parse parses one flow. It returns the flow and every error it found (up to
// MaxErrors, then it stops), recovering at the next step, function or other
// top-level item after an error; the flow is only meaningful when there are
// no errors.
func Parse(name, src string) (f *Flow, errs []*Error) {
	f = &Flow{Name: name, Steps: map[string]*Step{}, Funcs: map[string]*Func{}}
	p := newParser(src, NewScanner(src), &errs, 0)
	for p.tok.Kind != EOF && len(errs) < MaxErrors {
		p.item(f)
	}
	if p.tok.Kind != EOF {
		errs = append(errs, &Error{Pos: p.tok.Pos, End: p.tok.Pos, Msg: fmt.Sprintf("more than %d errors: the rest of the flow is not read; fix these first", MaxErrors)})
	}
	return f, errs
}

func (p *parser) next() {
	p.prevEnd = p.tok.End
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.sc.Next()
}

// peek returns the k-th token after the current one (k >= 1).
func (p *parser) peek(k int) Token {
	for len(p.ahead) < k {
		p.ahead = append(p.ahead, p.sc.Next())
	}
	return p.ahead[k-1]
}

// adjacent reports whether the current token directly follows the previous
// one, without space or comment between them.
func (p *parser) adjacent() bool { return p.tok.Pos.Offset == p.prevEnd }

func (p *parser) isWord(w string) bool { return p.tok.Kind == Word && p.tok.Text == w }

// fail records an error at pos and unwinds to the nearest recovery point.
func (p *parser) fail(pos Pos, msg string) {
	*p.errs = append(*p.errs, &Error{Pos: pos, End: pos, Msg: msg})
	panic(bailout{})
}

// failTok records an error on the current token (a more precise message for
// a token the scanner could not read).
func (p *parser) failTok(msg string) {
	switch {
	case p.tok.Kind == Illegal && p.tok.Text == "\"":
		msg = errDoubleQuote
	case p.tok.Kind == Illegal:
		msg = "unexpected character '" + p.tok.Text + "'"
	}
	*p.errs = append(*p.errs, &Error{Pos: p.tok.Pos, End: p.endPos(), Msg: msg})
	panic(bailout{})
}

// posAt returns the position of a byte offset (used for errors only).
func (p *parser) posAt(off int) Pos {
	line := 1 + strings.Count(p.src[:off], "\n")
	return Pos{Offset: off, Line: line, Col: off - strings.LastIndexByte(p.src[:off], '\n')}
}

// endPos is the position just past the current token when it is on one line.
func (p *parser) endPos() Pos {
	e := p.tok.Pos
	if !strings.Contains(p.src[p.tok.Pos.Offset:p.tok.End], "\n") {
		e.Col += p.tok.End - p.tok.Pos.Offset
		e.Offset = p.tok.End
	}
	return e
}

// nest enters a nested expression or block; the returned function leaves it.
func (p *parser) nest() func() {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok.Pos, "expression nested too deeply")
	}
	return func() { p.depth-- }
}

func (p *parser) expect(k Kind, msg string) Token {
	if p.tok.Kind != k {
		p.failTok(msg)
	}
	t := p.tok
	p.next()
	return t
}

// recoverItem turns a bailout into a skip to the next top-level item; the
// item that failed started at offset start. A failure on the first token
// of a following item (a step label after an unfinished action) resumes
// there, so that its errors are reported too.
func (p *parser) recoverItem(start int) {
	r := recover()
	if r == nil {
		return
	}
	if _, ok := r.(bailout); !ok {
		panic(r)
	}
	p.depth = 0
	if p.tok.Kind != EOF && (p.tok.Pos.Offset == start || !p.atItem()) {
		p.next()
	}
	for p.tok.Kind != EOF && !p.atItem() {
		p.next()
	}
}

// atItem reports whether the current token starts a top-level item: a step
// label, fn, import, const or insert.
func (p *parser) atItem() bool {
	if p.tok.Kind != Word {
		return false
	}
	switch p.tok.Text {
	case "fn":
		return p.peek(1).Kind == Word
	case "import", "const", "insert":
		return true
	}
	return p.peek(1).Kind == Colon
}

func (p *parser) item(f *Flow) {
	defer p.recoverItem(p.tok.Pos.Offset)
	switch {
	case p.isWord("fn") && p.peek(1).Kind == Word:
		p.function(f)
	case p.isWord("import"):
		p.importItem(f)
	case p.isWord("insert"):
		p.insertItem(f)
	case p.isWord("const"):
		p.constItem(f)
	case p.tok.Kind == Word && p.peek(1).Kind == Colon:
		p.step(f)
	default:
		p.failTok(errParsing)
	}
}

// name reads an identifier that names something (a step, a variable to
// assign, a parameter), rejecting reserved words and numbers.
func (p *parser) name() Token {
	t := p.tok
	if t.Kind != Word {
		p.failTok(errParsing)
	}
	p.checkName(t, assignReserved)
	p.next()
	return t
}

func (p *parser) checkName(t Token, reserved map[string]bool) {
	switch {
	case reserved[strings.ToLower(t.Text)]:
		p.fail(t.Pos, errReserved)
	case len(t.Text) > 255:
		p.fail(t.Pos, errSizeIdent)
	}
	if _, ok := ParseFloat(t.Text); ok {
		p.fail(t.Pos, errNumberAsIdent)
	}
}

func (p *parser) step(f *Flow) {
	nameTok := p.name()
	p.next() // ':'
	body := p.itemBody()
	number(body)
	st := &Step{P: nameTok.Pos, Name: nameTok.Text, Body: body, Hash: hashSource(p.src, nameTok.Pos, p.tok.Pos.Offset)}
	f.Steps[st.Name] = st
	f.Order = append(f.Order, st)
}

// itemBody reads the actions of a step or of a colon-form function: up to
// the next top-level item or the end of the flow.
func (p *parser) itemBody() *Block {
	b := &Block{P: p.tok.Pos}
	for p.tok.Kind != EOF && !p.atItem() {
		if !p.atAction() {
			p.failTok(errParsing)
		}
		b.Stmts = append(b.Stmts, p.action())
	}
	return b
}

func (p *parser) function(f *Flow) {
	pos := p.tok.Pos
	p.next() // fn
	nameTok := p.name()
	params := p.params()
	fn := &Func{P: pos, Name: nameTok.Text, Params: params}
	switch p.tok.Kind {
	case Colon:
		p.next()
		fn.Body = p.itemBody()
	case LBrace:
		fn.Body = p.braceBlock()
	default:
		p.failTok(errFnColon)
	}
	number(fn.Body)
	if f.Funcs[fn.Name] != nil {
		f.FuncDups = append(f.FuncDups, fn)
	}
	f.Funcs[fn.Name] = fn
}

// params reads (a, b, ...) of a function or closure prototype.
func (p *parser) params() []string {
	p.expect(LParen, errLeftParen)
	var out []string
	for p.tok.Kind != RParen {
		out = append(out, p.name().Text)
		if p.tok.Kind != Comma {
			break
		}
		p.next()
	}
	p.expect(RParen, errRightParen)
	return out
}

// importNames reads the name list of import and insert: name [as alias] or
// {a, b as c}. Each pair is (local name, original name).
func (p *parser) importNames(msg string) [][2]string {
	one := func() [2]string {
		if p.tok.Kind != Word {
			p.failTok(msg)
		}
		orig := p.name().Text
		if p.isWord("as") {
			p.next()
			return [2]string{p.name().Text, orig}
		}
		return [2]string{orig, orig}
	}
	if p.tok.Kind != LBrace {
		return [][2]string{one()}
	}
	p.next()
	var out [][2]string
	for p.tok.Kind != RBrace {
		out = append(out, one())
		if p.tok.Kind != Comma {
			break
		}
		p.next()
	}
	p.expect(RBrace, errRightBrace)
	return out
}

func (p *parser) importItem(f *Flow) {
	pos := p.tok.Pos
	p.next()
	names := p.importNames(errImportArgument)
	from, module := "", false
	if p.isWord("from") {
		p.next()
		if p.tok.Kind != Word {
			p.failTok(errImportArgument)
		}
		from = p.tok.Text
		p.next()
		if from == "modules" && p.tok.Kind == Slash && p.adjacent() {
			p.next()
			if p.tok.Kind != Word || !p.adjacent() {
				p.failTok(errImportArgument)
			}
			from, module = p.tok.Text, true
			p.next()
		}
	}
	for _, n := range names {
		f.Imports = append(f.Imports, &Import{P: pos, Name: n[0], Original: n[1], From: from, Module: module})
	}
}

func (p *parser) insertItem(f *Flow) {
	pos := p.tok.Pos
	p.next()
	names := p.importNames(errInsertArgument)
	if !p.isWord("from") {
		p.failTok(errInsertArgument)
	}
	p.next()
	if p.tok.Kind != Word {
		p.failTok(errInsertArgument)
	}
	from := p.tok.Text
	p.next()
	for _, n := range names {
		f.Inserts = append(f.Inserts, &Insert{P: pos, Name: n[0], Original: n[1], From: from})
	}
}

func (p *parser) constItem(f *Flow) {
	pos := p.tok.Pos
	p.next()
	nameTok := p.name()
	p.expect(Equal, errParsing)
	f.Consts = append(f.Consts, &Const{P: pos, Name: nameTok.Text, Value: p.expr()})
}

// hashSource hashes the tokens of src[from:to] (whitespace and comments
// excluded), each followed by a zero byte.
func hashSource(src string, from Pos, to int) string {
	h := sha256.New()
	sc := newSubScanner(src, from, to, false)
	for t := sc.Next(); t.Kind != EOF; t = sc.Next() {
		h.Write([]byte(src[t.Pos.Offset:t.End]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
