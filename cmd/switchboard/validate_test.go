package main

import (
	"strings"
	"testing"
)

// validate lists every error of a flow, not only the first, each with its
// line, column, caret and a message that says what to write.
func TestValidateReportsEveryErrorOfAFlow(t *testing.T) {
	bot := writeBot(t, map[string]string{
		"Default": "start:\n  remember x =\n  say\n  hold\n  x = 2\n  goto end\n",
	})
	code, out, _ := runWithInput(t, "", "validate", bot)
	for _, want := range []string{
		"error: flow Default, line 2, column 15: 'remember x =' needs a value after '='. Example: remember x = 1\n      remember x =\n" + strings.Repeat(" ", 4+14) + "^\n",
		"error: flow Default, line 3, column 6: 'say' needs a value after it.",
		"error: flow Default, line 5, column 3: 'x' is not an action: to set a variable write 'do x = ...'",
		"3 error(s)",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
}

// A goto to a step or a flow that does not exist is an error of validate, at
// the goto's line and column.
func TestValidateGotoToMissingStep(t *testing.T) {
	bot := writeBot(t, map[string]string{
		"Default": "start:\n  say \"hi\"\n  goto nowhere\n",
		"Other":   "start:\n  goto ask@Default\n  goto flow Elsewhere\n",
	})
	code, out, _ := runWithInput(t, "", "validate", bot)
	for _, want := range []string{
		"error: flow Default, line 3, column 8: goto: step [nowhere] does not exist in flow [Default]",
		"error: flow Other, line 2, column 8: goto: step [ask] does not exist in flow [Default]",
		"error: flow Other, line 3, column 13: goto: flow [Elsewhere] does not exist in this bot",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
}
