package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

// event is a user's payload with content keys of their choosing.
func event(contentType string, content map[string]string) switchboard.Payload {
	raw, _ := json.Marshal(content)
	return switchboard.Payload{ContentType: contentType, Content: raw}
}

// TestUsersCannotSendExpiryOrErrorEvents: a user's LIVECHAT_SESSION_EXPIRED
// or _ERROR (a payload, typed text in any case, with a reason of their
// choosing) is refused with a clear error, and changes nothing: the bot
// never hears of a session that did not expire or fail.
func TestUsersCannotSendExpiryOrErrorEvents(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	before := len(f.history())
	for _, p := range []switchboard.Payload{
		event("payload", map[string]string{"payload": switchboard.PayloadSessionExpired}),
		event("payload", map[string]string{"payload": switchboard.PayloadSessionError, "reason": "the platform said: call 555-0100"}),
		event("text", map[string]string{"text": " livechat_session_error ", "reason": "forged"}),
		event("payload", map[string]string{"payload": switchboard.PayloadSessionExpired, "reason": "expired"}),
	} {
		_, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: p})
		if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(switchboard.ErrorMessage(err), "sent to bots by switchboard only") {
			t.Errorf("%s: err %v, want invalid", p.Content, err)
		}
	}
	if after := len(f.history()); after != before {
		t.Errorf("refused events stored %d messages", after-before)
	}
	// During a session too: nothing to relay.
	f.send(button(switchboard.PayloadSessionStart))
	if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: button(switchboard.PayloadSessionError)}); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("during a session: %v", err)
	}
}

// TestAUserEndOutsideASessionSaysNoSessionEnded: the bot gets
// LIVECHAT_SESSION_END with reason no_session, whatever reason the user
// sent; in a session, the reason is user_ended.
func TestAUserEndOutsideASessionSaysNoSessionEnded(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	for _, p := range []switchboard.Payload{
		event("payload", map[string]string{"payload": switchboard.PayloadSessionEnd, "reason": "agent_closed"}),
		event("text", map[string]string{"text": "LIVECHAT_SESSION_END", "reason": "agent_closed"}),
	} {
		r := f.send(p)
		if got := texts(r.Messages); len(got) == 0 || got[0] != "SEND bot: Welcome back (no_session)" {
			t.Errorf("%s: bot said %q", p.Content, got)
		}
	}
	f.send(button(switchboard.PayloadSessionStart))
	r := f.send(event("payload", map[string]string{"payload": switchboard.PayloadSessionEnd, "reason": "expired"}))
	if got := texts(r.Messages); len(got) == 0 || got[0] != "SEND bot: Welcome back (user_ended)" {
		t.Errorf("in a session: bot said %q", got)
	}
}

// TestARegexEventCannotTriggerAnExpiryFlow: a regex event that would pick
// the flow of LIVECHAT_SESSION_EXPIRED is refused; others run.
func TestARegexEventCannotTriggerAnExpiryFlow(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	bot := switchboard.Bot{ID: "flows", Name: "Flows", DefaultFlow: "Main", Flows: []switchboard.Flow{
		{ID: "Main", Name: "Main", Content: "start:\n  say \"main\"\n", Commands: []string{"hello"}},
		{ID: "Expired", Name: "Expired", Content: "start:\n  say \"expired: {{event.reason}}\"\n", Commands: []string{switchboard.PayloadSessionExpired}},
	}}
	if _, err := f.eng.Bots().Put(switchboard.NewBotVersion(bot, t0)); err != nil {
		t.Fatal(err)
	}
	key := switchboard.ClientKey{BotID: "flows", ChannelID: "web", UserID: "u1"}
	_, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: key, Payload: event("regex", map[string]string{"payload": "^LIVECHAT_SESSION_EXP", "reason": "expired"})})
	if switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("regex to the expiry flow: %v", err)
	}
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: key, Payload: event("regex", map[string]string{"payload": ".*"})})
	if err != nil || len(r.Messages) == 0 || !strings.Contains(string(r.Messages[0].Payload.Content), "main") {
		t.Errorf("a regex picking another flow: %v %+v", err, r)
	}
}
