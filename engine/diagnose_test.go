package engine_test

import (
	"testing"

	"switchboard"
	"switchboard/csml"
	"switchboard/engine"
)

func TestDiagnoseListsTheErrorsWithTheirPlace(t *testing.T) {
	bot := switchboard.Bot{ID: "b", Name: "B", DefaultFlow: "Main", Flows: []switchboard.Flow{
		{ID: "Main", Name: "Main", Content: "start:\n  say \"hi\"\n  goto nowhere_step\n"},
		{ID: "Bad", Name: "Bad", Content: "start:\n  say (\n"},
	}}
	var errs []csml.Diagnostic
	for _, d := range engine.Diagnose(bot) {
		if d.Severity == csml.SeverityError {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 || errs[0].Flow == "" || errs[0].Line == 0 {
		t.Fatalf("Diagnose = %+v, want errors with a flow and a line", errs)
	}
	if _, err := engine.Compile(switchboard.NewBotVersion(bot, t0)); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Fatalf("Compile of the same bot: %v, want invalid", err)
	}
	bot.Flows = bot.Flows[:1]
	bot.Flows[0].Content = "start:\n  say \"hi\"\n  goto end\n"
	for _, d := range engine.Diagnose(bot) {
		if d.Severity == csml.SeverityError {
			t.Fatalf("Diagnose of a good bot: %+v", d)
		}
	}
}
