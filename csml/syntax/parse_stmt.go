package syntax

import "strings"

func (p *parser) atAction() bool { return p.tok.Kind == Word && actionWords[p.tok.Text] }

// braceBlock reads { actions }.
func (p *parser) braceBlock() *Block {
	defer p.nest()()
	b := &Block{P: p.tok.Pos}
	open := p.tok
	p.expect(LBrace, errLeftBrace)
	for p.tok.Kind != RBrace {
		switch {
		case p.tok.Kind == EOF || p.atItem() || len(*p.errs) >= MaxErrors:
			p.closeOf(open, RBrace)
		case !p.atAction():
			p.record(&Error{Pos: p.tok.Pos, End: p.endPos(), Msg: p.notAction()})
			p.skipStmt(p.tok.Pos.Offset, true)
			continue
		}
		if s := p.stmt(true); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
	}
	p.next()
	return b
}

// blockOrAction reads the body of an if or else: a brace block or a single
// action.
func (p *parser) blockOrAction() *Block {
	defer p.nest()()
	if p.tok.Kind == LBrace {
		return p.braceBlock()
	}
	if !p.atAction() {
		p.failTok(errLeftBrace)
	}
	pos := p.tok.Pos
	return &Block{P: pos, Stmts: []Stmt{p.action()}}
}

// argument reads the expression that must follow the action keyword word;
// a missing one is reported just after the keyword, as the reference does.
func (p *parser) argument(word string) Expr {
	switch {
	case p.tok.Kind == Illegal:
		p.failTok(missingValue(word)) // says what the scanner could not read
	case !p.atExprStart():
		p.fail(p.posAt(p.prevEnd), missingValue(word))
	}
	return p.expr()
}

func (p *parser) action() Stmt {
	pos := p.tok.Pos
	word := p.tok.Text
	p.next()
	switch word {
	case "say":
		return &Say{P: pos, X: p.argument(word)}
	case "debug":
		return &Debug{P: pos, X: p.argument(word)}
	case "log":
		level := "info"
		if p.tok.Kind == Word {
			switch l := strings.ToLower(p.tok.Text); l {
			case "error", "warn", "info", "debug", "trace":
				level = l
				p.next()
			}
		}
		return &Log{P: pos, Level: level, X: p.argument(word)}
	case "use":
		x := p.argument(word)
		if _, ok := x.(*As); !ok {
			p.fail(x.Start(), errUse)
		}
		return &Use{P: pos, X: x}
	case "do":
		return p.doAction(pos)
	case "remember":
		return p.remember(pos)
	case "forget":
		return p.forget(pos)
	case "goto":
		return p.gotoAction(pos)
	case "previous":
		switch {
		case p.isWord("step"):
			p.next()
			return &Previous{P: pos}
		case p.isWord("flow"):
			p.next()
			return &Previous{P: pos, Flow: true}
		}
		p.failTok(errParsing)
	case "hold":
		return &Hold{P: pos}
	case "hold_secure":
		return &Hold{P: pos, Secure: true}
	case "break":
		return &Break{P: pos}
	case "continue":
		return &Continue{P: pos}
	case "return":
		if !p.atExprStart() {
			p.fail(p.posAt(p.prevEnd), errReturn)
		}
		return &Return{P: pos, X: p.expr()}
	case "if":
		return p.ifRest(pos)
	case "foreach":
		return p.foreach(pos)
	case "while":
		cond := p.condition("while")
		return &While{P: pos, Cond: cond, Body: p.braceBlock()}
	}
	panic("syntax: unhandled action " + word)
}

func isAssignOp(k Kind) (Op, bool) {
	switch k {
	case Equal:
		return OpNone, true
	case PlusAssign:
		return OpAdd, true
	case MinusAssign:
		return OpSub, true
	case StarAssign:
		return OpMul, true
	case SlashAssign:
		return OpDiv, true
	case PercentAssign:
		return OpRem, true
	}
	return OpNone, false
}

// doAction reads do expr, do target = expr (and compound forms) and
// do expr as name (an assignment of name).
func (p *parser) doAction(pos Pos) Stmt {
	x := p.argument("do")
	if op, ok := isAssignOp(p.tok.Kind); ok {
		base := assignBase(x)
		if base == nil {
			p.failTok("only a variable, or a key or index of one, can be assigned (not a call or a method). Example: do x.key = 1")
		}
		p.checkName(Token{Pos: base.P, Text: base.Name}, assignReserved)
		opText := p.tok.Text
		p.next()
		if !p.atExprStart() {
			p.fail(p.posAt(p.prevEnd), missingAssigned("do", strings.TrimSpace(p.src[x.Start().Offset:p.prevEnd-len(opText)]), opText))
		}
		return &Assignment{P: pos, Op: op, Target: x, Value: p.expr()}
	}
	if as, ok := x.(*As); ok {
		return &Assignment{P: pos, Target: &Ident{P: as.NamePos, Name: as.Name}, Value: as.X}
	}
	return &Do{P: pos, X: x}
}

// assignBase returns the variable an assignment target writes to: an
// identifier, or the root of a path made of keys and indexes.
func assignBase(x Expr) *Ident {
	switch x := x.(type) {
	case *Ident:
		return x
	case *Path:
		for _, s := range x.Segs {
			if s.Kind == SegMethod {
				return nil
			}
		}
		id, _ := x.X.(*Ident)
		return id
	}
	return nil
}

func (p *parser) remember(pos Pos) Stmt {
	if p.tok.Kind == Word && p.peek(1).Kind == Equal {
		nameTok := p.name()
		p.next() // '='
		if !p.atExprStart() {
			p.fail(p.posAt(p.prevEnd), missingAssigned("remember", nameTok.Text, "="))
		}
		return &Remember{P: pos, Name: nameTok.Text, NamePos: nameTok.Pos, Value: p.expr()}
	}
	x := p.argument("remember")
	as, ok := x.(*As)
	if !ok {
		p.fail(x.Start(), errRemember)
	}
	return &Remember{P: pos, Name: as.Name, NamePos: as.NamePos, Value: as.X}
}

func (p *parser) forget(pos Pos) Stmt {
	s := &Forget{P: pos}
	switch p.tok.Kind {
	case Star:
		s.All = true
		p.next()
	case LBracket:
		p.next()
		for p.tok.Kind != RBracket {
			s.Names = append(s.Names, p.varName())
			if p.tok.Kind != Comma {
				break
			}
			p.next()
		}
		p.expect(RBracket, errRightBracket)
	default:
		if p.tok.Kind != Word {
			p.failTok(errActionArgument)
		}
		s.Names = append(s.Names, p.varName())
	}
	return s
}

// varName reads an identifier used as a variable name.
func (p *parser) varName() Ident {
	t := p.tok
	if t.Kind != Word {
		p.failTok(errParsing)
	}
	p.checkName(t, useReserved)
	p.next()
	return Ident{P: t.Pos, Name: t.Text}
}

func (p *parser) atTarget() bool {
	return (p.tok.Kind == Word && !assignReserved[strings.ToLower(p.tok.Text)]) || p.tok.Kind == Dollar
}

// target reads a goto target: a name or $variable.path.
func (p *parser) target() *Target {
	pos := p.tok.Pos
	if p.tok.Kind == Dollar {
		p.next()
		if !p.adjacent() {
			p.failTok(errGotoStep)
		}
		id := p.varName()
		return &Target{P: pos, Var: p.path(&id)}
	}
	return &Target{P: pos, Name: p.name().Text}
}

func (p *parser) gotoAction(pos Pos) Stmt {
	g := &Goto{P: pos, Kind: GotoStepFlow}
	switch {
	case p.isWord("step") && p.peekTarget():
		p.next()
		g.Kind, g.Step = GotoStep, p.target()
		return g
	case p.isWord("flow") && p.peekTarget():
		p.next()
		g.Kind, g.Flow = GotoFlow, p.target()
		return g
	}
	if p.atTarget() {
		g.Step = p.target()
	}
	at := false
	if p.tok.Kind == At && (g.Step == nil || p.adjacent()) {
		at = true
		p.next()
		if p.atTarget() && p.adjacent() {
			g.Flow = p.target()
		}
	}
	if g.Step == nil && !at {
		p.fail(p.posAt(p.prevEnd), errGotoStep+". Example: goto next_step, goto flow other or goto next_step@other")
	}
	if p.isWord("in") && (p.peek(1).Kind == Word || p.peek(1).Kind == Dollar) {
		p.next()
		g.Bot = p.target()
	}
	return g
}

func (p *parser) peekTarget() bool {
	t := p.peek(1)
	return (t.Kind == Word && !assignReserved[strings.ToLower(t.Text)]) || t.Kind == Dollar
}

// condition reads ( expr ) after keyword: if, else if or while.
func (p *parser) condition(keyword string) Expr {
	open := p.tok
	p.expect(LParen, conditionMsg(keyword))
	x := p.expr()
	p.closeOf(open, RParen)
	return x
}

// ifRest reads an if after its keyword, with its else if / else chain.
func (p *parser) ifRest(pos Pos) *If {
	s := &If{P: pos}
	s.Cond = p.condition("if")
	s.Then = p.blockOrAction()
	if p.isWord("else") {
		p.next()
		if p.isWord("if") {
			elsePos := p.tok.Pos
			p.next()
			s.ElseIf = p.ifRest(elsePos)
		} else {
			s.Else = p.blockOrAction()
		}
	}
	return s
}

func (p *parser) foreach(pos Pos) Stmt {
	s := &Foreach{P: pos}
	p.expect(LParen, "'foreach' expects (item) or (item, index) after it. Example: "+examples["foreach"])
	s.Item = p.name().Text
	if p.tok.Kind == Comma {
		p.next()
		s.IndexVar = p.name().Text
	}
	p.expect(RParen, errRightParen)
	if !p.isWord("in") {
		p.failTok("expecting 'in' after foreach (...)")
	}
	p.next()
	s.X = p.argument("foreach")
	s.Body = p.braceBlock()
	return s
}
