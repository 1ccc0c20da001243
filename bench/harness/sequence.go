package main

import "fmt"

// tally is how a sequence of messages that went one way compares with what
// was sent, in order: each message must arrive once, in the order sent.
type tally struct {
	Expected int
	// Arrived counts the expected messages that arrived (once or more).
	Arrived int
	// Lost: sent, never arrived. Duplicated: arrived more than once (each
	// extra copy counts). OutOfOrder: arrived after a message sent later
	// than it. Unexpected: arrived here, but was never sent here.
	Lost, Duplicated, OutOfOrder, Unexpected int
	// Examples names a few of the faults.
	Examples []string
}

// maxExamples bounds the faults a tally names.
const maxExamples = 8

// compare tallies seen against expected, where each token names one
// message; what names them (a user, a session) prefixes the examples, and
// note, when set, says more of a message that never arrived.
func compare(what string, expected, seen []string, note func(token string) string) tally {
	t := tally{Expected: len(expected)}
	pos := make(map[string]int, len(expected))
	for i, tok := range expected {
		pos[tok] = i
	}
	count := make(map[string]int, len(seen))
	highest := -1
	for _, tok := range seen {
		count[tok]++
		i, ok := pos[tok]
		switch {
		case !ok:
			t.Unexpected++
			t.example("%s: %s arrived but was not sent there", what, tok)
		case count[tok] > 1:
			t.Duplicated++
			t.example("%s: %s arrived %d times", what, tok, count[tok])
		case i < highest:
			t.OutOfOrder++
			t.example("%s: %s arrived after %s, which was sent after it", what, tok, expected[highest])
		default:
			highest = i
		}
	}
	for _, tok := range expected {
		if count[tok] == 0 {
			t.Lost++
			more := ""
			if note != nil {
				more = " (" + note(tok) + ")"
			}
			t.example("%s: %s never arrived%s", what, tok, more)
		} else {
			t.Arrived++
		}
	}
	return t
}

func (t *tally) example(format string, args ...any) {
	if len(t.Examples) < maxExamples {
		t.Examples = append(t.Examples, fmt.Sprintf(format, args...))
	}
}

// add sums another tally into t.
func (t *tally) add(o tally) {
	t.Expected += o.Expected
	t.Arrived += o.Arrived
	t.Lost += o.Lost
	t.Duplicated += o.Duplicated
	t.OutOfOrder += o.OutOfOrder
	t.Unexpected += o.Unexpected
	for _, e := range o.Examples {
		if len(t.Examples) < maxExamples {
			t.Examples = append(t.Examples, e)
		}
	}
}

// ok reports whether every message arrived once, in order, and nothing
// else did.
func (t tally) ok() bool {
	return t.Lost == 0 && t.Duplicated == 0 && t.OutOfOrder == 0 && t.Unexpected == 0
}
