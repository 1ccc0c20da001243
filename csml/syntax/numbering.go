package syntax

// number assigns hold numbers to the actions of a step or function body, as
// the reference's count_commands does: every simple action takes the next
// index; if, foreach and while take the index of their first inner action and
// number their inner actions (all if branches consecutively); Total is the
// number of inner actions minus one.
func number(b *Block) {
	next := 0
	numberBlock(b, &next)
}

func numberBlock(b *Block, next *int) {
	for _, s := range b.Stmts {
		numberStmt(s, next)
	}
}

func numberStmt(s Stmt, next *int) {
	start := *next
	n := s.Number()
	n.Index = start
	switch s := s.(type) {
	case *If:
		numberIf(s, next)
	case *Foreach:
		numberBlock(s.Body, next)
	case *While:
		numberBlock(s.Body, next)
	default:
		*next++
	}
	n.Total = 0
	if *next > start+1 {
		n.Total = *next - (start + 1)
	}
}

func numberIf(s *If, next *int) {
	numberBlock(s.Then, next)
	if *next >= 1 {
		s.Last = *next - 1
	}
	switch {
	case s.ElseIf != nil:
		numberIf(s.ElseIf, next)
	case s.Else != nil:
		numberBlock(s.Else, next)
	}
}
