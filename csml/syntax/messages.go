package syntax

import (
	"fmt"
	"strings"
)

// The parser's own messages: what is wrong, and what to write instead. They
// replace the reference's where its text does not say what is wrong (its
// "expecting valid argument after action keywords. Example: say value" for
// 'remember x ='); the reference's texts that are clear enough stay (see
// parser.go).

// examples are the actions' examples, shown when an action lacks its value.
var examples = map[string]string{
	"say":      `say "Hello"`,
	"debug":    "debug x",
	"log":      `log "order received"`,
	"use":      "use value as name",
	"do":       "do x = 1",
	"remember": "remember name = value",
	"return":   "return value",
	"foreach":  "foreach (item) in list { ... }",
}

// missingValue says that the action word needs a value after it.
func missingValue(word string) string {
	return fmt.Sprintf("'%s' needs a value after it. Example: %s", word, examples[word])
}

// missingAssigned says that an assignment has nothing after its operator.
func missingAssigned(word, name, op string) string {
	return fmt.Sprintf("'%s %s %s' needs a value after '%s'. Example: %s %s %s 1", word, name, op, op, word, name, op)
}

// found describes the current token for a message.
func (p *parser) found() string {
	switch p.tok.Kind {
	case EOF:
		if p.inString {
			return "the end of the string"
		}
		return "the end of the flow"
	case String:
		return "a string"
	}
	return "'" + p.tok.Text + "'"
}

// notAction says that the current token cannot start an action.
func (p *parser) notAction() string {
	if p.tok.Kind == RBrace {
		return "unexpected '}': no '{' is open here; remove it"
	}
	if _, ok := isAssignOp(p.peek(1).Kind); ok && p.tok.Kind == Word {
		return fmt.Sprintf("'%s' is not an action: to set a variable write 'do %s = ...' (or 'remember %s = ...' to keep it in the memory)", p.tok.Text, p.tok.Text, p.tok.Text)
	}
	return fmt.Sprintf("%s cannot start an action: each action begins with a keyword (say, do, if, foreach, while, goto, remember, forget, hold, use, return, ...)", p.found())
}

// closeOf reads the token of kind k that closes the bracket open, or fails
// with a message naming where that bracket is.
func (p *parser) closeOf(open Token, k Kind) {
	if p.tok.Kind == k {
		p.next()
		return
	}
	closer := map[Kind]string{RParen: ")", RBracket: "]", RBrace: "}"}[k]
	msg := fmt.Sprintf("expecting '%s' to close the '%s' of line %d, column %d; found %s", closer, open.Text, open.Pos.Line, open.Pos.Col, p.found())
	if p.tok.Kind != EOF && k != RBrace {
		msg = fmt.Sprintf("expecting ',' or '%s' to close the '%s' of line %d, column %d; found %s", closer, open.Text, open.Pos.Line, open.Pos.Col, p.found())
	}
	p.failTok(msg)
}

// valueMsg says that a value was expected where found is.
func valueMsg(found string) string {
	return "expecting a value (a number, a string, a variable, a call, [ ] or { }), found " + found
}

// conditionMsg says that keyword needs its condition in parentheses.
func conditionMsg(keyword string) string {
	return fmt.Sprintf("'%s' expects its condition in parentheses. Example: %s (x == 1) { ... }", keyword, strings.TrimSpace(keyword))
}
