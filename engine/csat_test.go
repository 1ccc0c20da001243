package engine_test

import (
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

func TestAgentsHandValuesBackToTheBotInTheEndEvent(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	s := f.activeSession()
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann", Text: "Found it.\n#handback order_id=1234"}); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann", Text: "Bye! LIVECHAT_SESSION_END", Handback: map[string]string{"flow": "billing"}}); err != nil {
		t.Fatal(err)
	}
	if h := strings.Join(texts(f.history()), "\n"); strings.Contains(h, "#handback") || !strings.Contains(h, "SEND agent: Found it.\n") {
		t.Fatalf("the user saw the handback lines, or not the rest:\n%s", h)
	}
	r := f.send(button(switchboard.PayloadSessionEnd))
	if got := lastTexts(r); !strings.Contains(got, "SEND bot: Handed back: order 1234, flow billing") {
		t.Fatalf("END without the handback:\n%s", got)
	}
}

func TestSurveyAfterTheSessionIsStoredWithItsAgent(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{CSAT: &livechat.CSAT{Comment: true, Thanks: "Merci!"}})
	f.send(text("hi"))
	s := f.activeSession()
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann", Text: "Done. LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	r := f.send(button(switchboard.PayloadSessionEnd))
	got := texts(r.Messages)
	if len(got) < 2 || got[0] != "SEND bot: Welcome back (user_ended)" || got[len(got)-1] != "SEND system: question "+livechat.DefaultCSATQuestion {
		t.Fatalf("the survey does not follow the bot's replies: %v", got)
	}
	r = f.send(button("LIVECHAT_CSAT_4"))
	if got := lastTexts(r); got != "SEND system: question "+livechat.DefaultCSATCommentQuestion {
		t.Fatalf("after the rating: %q", got)
	}
	clock.Advance(time.Minute)
	if got := lastTexts(f.send(text("Quick and kind"))); got != "SEND system: Merci!" {
		t.Fatalf("after the comment: %q", got)
	}
	// The survey is over: the bot has the user back.
	if got := lastTexts(f.send(text("ping"))); !strings.Contains(got, "SEND bot: You said ping") {
		t.Fatalf("the bot did not get the next message: %q", got)
	}
	sums, answers, err := f.eng.CSAT(f.ctx, switchboard.CSATFilter{BotID: "support"})
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 1 || answers[0].Rating != 4 || answers[0].Comment != "Quick and kind" || answers[0].AgentName != "Ann" || answers[0].SessionID != s.ID {
		t.Fatalf("answers: %+v", answers)
	}
	if len(sums) != 1 || sums[0].Average() != 4 || sums[0].AgentID != "a1" {
		t.Fatalf("summaries: %+v", sums)
	}
}

func TestNoSurveyWithoutSettingsOrWithoutAnAgent(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	s := f.activeSession()
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", Text: "LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	if got := lastTexts(f.send(button(switchboard.PayloadSessionEnd))); strings.Contains(got, "system") {
		t.Fatalf("a survey without settings: %s", got)
	}
	// Configured, but the user left before any agent wrote: no survey.
	f.setSettings(livechat.Settings{CSAT: &livechat.CSAT{}})
	f.activeSession()
	if got := lastTexts(f.send(button(switchboard.PayloadSessionEnd))); strings.Contains(got, "system") {
		t.Fatalf("a survey of a session nobody answered: %s", got)
	}
	// A late click on an old survey's button reaches neither the bot nor a survey.
	if r := f.send(button("LIVECHAT_CSAT_5")); len(r.Messages) != 0 {
		t.Fatalf("a rating without a survey was answered: %s", lastTexts(r))
	}
}

func TestTheSurveyFollowsAnAgentClosingTheTicket(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.setSettings(livechat.Settings{CSAT: &livechat.CSAT{Labels: []string{"a", "b", "c", "d", "e"}}})
	f.send(text("hi"))
	s := f.activeSession()
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a2", AgentName: "Bo", Text: "Sorted."}); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.Close(f.ctx, s.ID, switchboard.EndAgent); err != nil {
		t.Fatal(err)
	}
	h := texts(f.history())
	if len(h) < 2 || h[len(h)-2] != "SEND bot: question How can I help?" || h[len(h)-1] != "SEND system: question "+livechat.DefaultCSATQuestion {
		t.Fatalf("after the close: %v", h[len(h)-3:])
	}
	if got := lastTexts(f.send(button("LIVECHAT_CSAT_1"))); got != "SEND system: "+livechat.DefaultCSATThanks {
		t.Fatalf("rating: %q", got)
	}
	_, answers, err := f.eng.CSAT(f.ctx, switchboard.CSATFilter{})
	if err != nil || len(answers) != 1 || answers[0].Rating != 1 || answers[0].AgentName != "Bo" || answers[0].State != switchboard.CSATDone {
		t.Fatalf("answers %+v, %v", answers, err)
	}
}
