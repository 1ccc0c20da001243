package syntax

// Error recovery inside steps and blocks: after an error in an action the
// parser skips to the next action that begins a line, so that one mistake
// does not hide the errors of the actions after it.

// stmt reads one action of a step (inBraces false) or of a { } block. After
// an error it skips the rest of the action and returns nil.
func (p *parser) stmt(inBraces bool) (s Stmt) {
	start, depth := p.tok.Pos.Offset, p.depth
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(bailout); !ok {
			panic(r)
		}
		p.depth = depth
		p.skipStmt(start, inBraces)
		s = nil
	}()
	return p.action()
}

// skipStmt skips tokens after an error in the action that started at offset
// start: up to the next action word or top-level item that begins a line,
// or (inBraces) the '}' that closes the enclosing block. Braces the failed
// action opened are skipped with what they hold.
func (p *parser) skipStmt(start int, inBraces bool) {
	open := 0
	for p.tok.Kind != EOF {
		if open == 0 && p.tok.Pos.Offset > start && p.firstOnLine() && (p.atAction() || p.atItem()) {
			return
		}
		switch p.tok.Kind {
		case LBrace:
			open++
		case RBrace:
			if open == 0 && inBraces {
				return
			}
			open = max(open-1, 0)
		}
		p.next()
	}
}

// firstOnLine reports whether only spaces come before the current token on
// its line.
func (p *parser) firstOnLine() bool {
	for i := p.tok.Pos.Offset - 1; i >= 0; i-- {
		switch p.src[i] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// record adds an error, once for a position (a failed action and the block
// around it may both report where they stopped).
func (p *parser) record(e *Error) {
	if n := len(*p.errs); n > 0 && (*p.errs)[n-1].Pos == e.Pos {
		return
	}
	*p.errs = append(*p.errs, e)
}
