package syntax

import "strings"

// Expression grammar, lowest precedence first, as the reference parses it:
//
//	expr     = and { "||" and }
//	and      = cmp { "&&" cmp }
//	cmp      = operand [ cmpop operand ]      (comparisons do not chain)
//	operand  = { "!" } additive
//	additive = term { ("+" | "-") term }
//	term     = basic { ("*" | "/" | "%") basic }
//	basic    = primary { path segment } [ "as" name ]

func (p *parser) expr() Expr {
	defer p.nest()()
	l := p.and()
	for p.tok.Kind == Or {
		p.next()
		l = &Binary{P: l.Start(), Op: OpOr, L: l, R: p.and()}
	}
	return l
}

func (p *parser) and() Expr {
	l := p.cmp()
	for p.tok.Kind == And {
		p.next()
		l = &Binary{P: l.Start(), Op: OpAnd, L: l, R: p.cmp()}
	}
	return l
}

func (p *parser) cmpOp() Op {
	switch p.tok.Kind {
	case Eq:
		return OpEq
	case Ne:
		return OpNe
	case Lt:
		return OpLt
	case Le:
		return OpLe
	case Gt:
		return OpGt
	case Ge:
		return OpGe
	case Word:
		if p.tok.Text == "match" {
			return OpMatch
		}
	case Bang:
		if t := p.peek(1); t.Kind == Word && t.Text == "match" && t.Pos.Offset == p.tok.End {
			return OpNotMatch
		}
	}
	return OpNone
}

func (p *parser) cmp() Expr {
	l := p.operand()
	op := p.cmpOp()
	if op == OpNone {
		return l
	}
	if op == OpNotMatch {
		p.next()
	}
	p.next()
	return &Binary{P: l.Start(), Op: op, L: l, R: p.operand()}
}

func (p *parser) operand() Expr {
	defer p.nest()()
	if p.tok.Kind != Bang {
		return p.additive()
	}
	pos := p.tok.Pos
	n := 0
	for p.tok.Kind == Bang {
		n++
		p.next()
	}
	return &Negation{P: pos, Count: n, X: p.additive()}
}

func (p *parser) additive() Expr {
	l := p.term()
	for {
		var op Op
		switch p.tok.Kind {
		case Plus:
			op = OpAdd
		case Minus:
			op = OpSub
		default:
			return l
		}
		p.next()
		l = &Binary{P: l.Start(), Op: op, L: l, R: p.term()}
	}
}

func (p *parser) term() Expr {
	l := p.basic()
	for {
		var op Op
		switch p.tok.Kind {
		case Star:
			op = OpMul
		case Slash:
			op = OpDiv
		case Percent:
			op = OpRem
		default:
			return l
		}
		p.next()
		l = &Binary{P: l.Start(), Op: op, L: l, R: p.basic()}
	}
}

func (p *parser) basic() Expr {
	x := p.path(p.primary())
	if p.isWord("as") {
		p.next()
		nameTok := p.name()
		x = &As{P: x.Start(), Name: nameTok.Text, NamePos: nameTok.Pos, X: x}
	}
	return x
}

// atExprStart reports whether the current token can start an expression.
func (p *parser) atExprStart() bool {
	switch p.tok.Kind {
	case Int, Float, String, RawString, LParen, LBrace, LBracket, Minus, Plus, Bang:
		return true
	case Word:
		return !useReserved[strings.ToLower(p.tok.Text)]
	}
	return false
}

func (p *parser) primary() Expr {
	t := p.tok
	switch t.Kind {
	case Int:
		p.next()
		n, _ := ParseInt(t.Text)
		return &IntLit{P: t.Pos, Value: n}
	case Float:
		p.next()
		f, _ := ParseFloat(t.Text)
		return &FloatLit{P: t.Pos, Value: f}
	case String:
		p.next()
		return p.template(t)
	case RawString:
		p.next()
		return &StringLit{P: t.Pos, Parts: []Part{{Text: t.Text}}, Raw: true}
	case LBracket:
		return p.array()
	case LBrace:
		return p.object()
	case LParen:
		if p.atClosure() {
			return p.closure()
		}
		open := p.tok
		p.next()
		x := p.expr()
		p.closeOf(open, RParen)
		return x
	case Plus, Minus:
		return p.signed()
	case Word:
		return p.identOrCall()
	}
	p.failTok(valueMsg(p.found()))
	return nil
}

// signed reads -3, +4.2 (sign glued to the number) and -(expr), which is
// 0 - expr.
func (p *parser) signed() Expr {
	t := p.tok
	p.next()
	switch {
	case (p.tok.Kind == Int || p.tok.Kind == Float) && p.adjacent():
		n := p.tok
		p.next()
		if n.Kind == Int {
			v, _ := ParseInt(t.Text + n.Text)
			return &IntLit{P: t.Pos, Value: v}
		}
		v, _ := ParseFloat(t.Text + n.Text)
		return &FloatLit{P: t.Pos, Value: v}
	case p.tok.Kind == LParen:
		open := p.tok
		p.next()
		x := p.expr()
		p.closeOf(open, RParen)
		op := OpAdd
		if t.Kind == Minus {
			op = OpSub
		}
		return &Binary{P: t.Pos, Op: op, L: &IntLit{P: t.Pos}, R: x}
	}
	p.fail(t.Pos, "a sign must be followed by a number or '('")
	return nil
}

func (p *parser) identOrCall() Expr {
	t := p.tok
	switch {
	case t.Text == "true" || t.Text == "false":
		p.next()
		return &BoolLit{P: t.Pos, Value: t.Text == "true"}
	case strings.EqualFold(t.Text, "null"):
		p.next()
		return &NullLit{P: t.Pos}
	case t.Text[0] >= '0' && t.Text[0] <= '9':
		p.fail(t.Pos, errNumberAsIdent)
	}
	if p.peek(1).Kind == LParen {
		p.next()
		return &Call{P: t.Pos, Name: t.Text, Args: p.args()}
	}
	p.checkName(t, useReserved)
	p.next()
	return &Ident{P: t.Pos, Name: t.Text}
}

// args reads (a, name = b, ...); a trailing comma is allowed.
func (p *parser) args() []Arg {
	open := p.tok
	p.expect(LParen, errLeftParen)
	var out []Arg
	for p.tok.Kind != RParen {
		a := Arg{P: p.tok.Pos}
		if p.tok.Kind == Word && p.peek(1).Kind == Equal {
			a.Name = p.tok.Text
			p.next()
			p.next()
		}
		a.Value = p.expr()
		out = append(out, a)
		if p.tok.Kind != Comma {
			break
		}
		p.next()
	}
	p.closeOf(open, RParen)
	return out
}

// path reads the .key, [index] and .method(args) segments after x. An index
// bracket must touch what precedes it.
func (p *parser) path(x Expr) Expr {
	var segs []Seg
	for {
		switch {
		case p.tok.Kind == Dot:
			p.next()
			t := p.tok
			if t.Kind != Word && t.Kind != Int {
				p.failTok(errParsing)
			}
			p.next()
			if p.tok.Kind == LParen {
				segs = append(segs, Seg{P: t.Pos, Kind: SegMethod, Name: t.Text, Args: p.args()})
			} else {
				segs = append(segs, Seg{P: t.Pos, Kind: SegKey, Name: t.Text})
			}
		case p.tok.Kind == LBracket && p.adjacent():
			open := p.tok
			p.next()
			idx := p.expr()
			p.closeOf(open, RBracket)
			pos := open.Pos
			segs = append(segs, Seg{P: pos, Kind: SegIndex, Index: idx})
		default:
			if segs == nil {
				return x
			}
			return &Path{X: x, Segs: segs}
		}
	}
}

func (p *parser) array() Expr {
	a := &ArrayLit{P: p.tok.Pos}
	open := p.tok
	p.next()
	for p.tok.Kind != RBracket {
		a.Elems = append(a.Elems, p.expr())
		if p.tok.Kind != Comma {
			break
		}
		p.next()
	}
	p.closeOf(open, RBracket)
	return a
}

// object reads {"key": value, ...}: keys are double-quoted, taken verbatim.
func (p *parser) object() Expr {
	o := &ObjectLit{P: p.tok.Pos}
	open := p.tok
	p.next()
	for p.tok.Kind != RBrace {
		if (p.tok.Kind != String && p.tok.Kind != RawString) || p.tok.Text == "" {
			p.failTok("string must start with '\"' ")
		}
		key := p.tok.Text
		p.next()
		p.expect(Colon, "expecting ':' after an object key")
		o.Fields = append(o.Fields, Field{Key: key, Value: p.expr()})
		if p.tok.Kind != Comma {
			break
		}
		p.next()
	}
	p.closeOf(open, RBrace)
	return o
}

// atClosure reports whether ( ident, ... ) { starts here.
func (p *parser) atClosure() bool {
	k := 1
	if p.peek(k).Kind == Word {
		k++
		for p.peek(k).Kind == Comma && p.peek(k+1).Kind == Word {
			k += 2
		}
	}
	return p.peek(k).Kind == RParen && p.peek(k+1).Kind == LBrace
}

func (p *parser) closure() Expr {
	pos := p.tok.Pos
	params := p.params()
	body := p.braceBlock()
	number(body)
	return &Closure{P: pos, Params: params, Body: body, Src: p.src[pos.Offset:p.prevEnd]}
}

// ParseClosure parses the source of a closure, (params) { body }, as a
// closure stored in memory keeps it.
func ParseClosure(src string) (*Closure, error) {
	var errs []*Error
	p := newParser(src, NewScanner(src), &errs, 0)
	c, err := func() (c *Closure, err error) {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
				err = errs[0]
			}
		}()
		if p.tok.Kind != LParen || !p.atClosure() {
			p.failTok("expecting a closure")
		}
		c = p.closure().(*Closure)
		if p.tok.Kind != EOF {
			p.failTok("expecting the end of the closure")
		}
		return c, nil
	}()
	return c, err
}
