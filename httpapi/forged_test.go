package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestChatAPIUsersCannotForgeLivechatEvents: through the Chat API, a user's
// LIVECHAT_SESSION_EXPIRED is a 400; a LIVECHAT_SESSION_END outside a
// session reaches the bot with reason no_session, not the reason sent.
func TestChatAPIUsersCannotForgeLivechatEvents(t *testing.T) {
	f := newFixture(t)
	f.chat(f.public(), event("forger", "text", map[string]any{"text": "hi"}, nil))
	body := event("forger", "payload", map[string]any{"payload": "LIVECHAT_SESSION_EXPIRED", "reason": "expired"}, nil)
	if code, msg := f.errorOf("POST", "/v1/api/chat", f.public(), body, http.StatusBadRequest); code != "invalid" || !strings.Contains(msg, "switchboard only") {
		t.Errorf("forged expiry: %s %q", code, msg)
	}
	r := f.chat(f.public(), event("forger", "payload", map[string]any{"payload": "LIVECHAT_SESSION_END", "reason": "agent_closed"}, nil))
	if got := r.texts(); len(got) != 1 || got[0] != "back (no_session)" {
		t.Errorf("an end outside a session: %q", got)
	}
}
