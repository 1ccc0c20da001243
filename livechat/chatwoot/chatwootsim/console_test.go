package chatwootsim

import (
	"strings"
	"testing"
	"time"

	"switchboard/internal/browsertest"
)

// TestConsoleActsAsAnAgent uses the console page as a person trying the
// integration would: open a conversation, type (the user sees it), reply,
// write a note, sign off and resolve.
func TestConsoleActsAsAnAgent(t *testing.T) {
	s, c := start(t, Config{})
	rc := newReceiver(t)
	tab := browsertest.Tab(t, browsertest.Browser(t), time.Minute)
	browsertest.Navigate(t, tab, s.URL+"/")
	browsertest.WaitJS(t, tab, "the credentials", browsertest.TextHas("#token", DefaultUser.Token))

	_, _, conv := setup(t, c, rc.URL)
	c.do("POST", "/api/v1/accounts/1/conversations/1/messages", map[string]any{"content": "Where is my parcel?", "message_type": "incoming"})
	browsertest.WaitJS(t, tab, "the conversation", browsertest.Present("#conversations li:not(.muted)"))
	browsertest.WaitJS(t, tab, "the inbox", browsertest.TextHas("#inboxes", rc.URL))
	browsertest.Click(t, tab, "#conversations li")
	browsertest.WaitJS(t, tab, "the contact's message", browsertest.TextHas(".msg.incoming", "Where is my parcel?"))
	for _, step := range []struct{ act, text, sel string }{
		{"reply", "It left this morning.", ".msg.outgoing"},
		{"note", "carrier is late", ".msg.private"},
	} {
		browsertest.Type(t, tab, "#text", step.text)
		browsertest.Click(t, tab, `[data-act="`+step.act+`"]`)
		browsertest.WaitJS(t, tab, step.act, browsertest.TextHas(step.sel, step.text))
	}
	browsertest.Click(t, tab, `[data-act="canned"]`)
	browsertest.WaitJS(t, tab, "the sign-off", browsertest.TextHas(".msg.outgoing:last-child", "LIVECHAT_SESSION_END"))
	browsertest.Click(t, tab, `[data-act="resolve"]`)
	browsertest.WaitJS(t, tab, "the resolved conversation", browsertest.TextHas("#title", "(resolved)"))

	cv, _ := s.ConversationBySource("session-1")
	if cv.DisplayID != conv || cv.Status != "resolved" || len(cv.Messages) != 5 || !cv.Messages[2].Private || !strings.Contains(cv.Messages[3].Text(), "LIVECHAT_SESSION_END") {
		t.Errorf("the conversation after the console: %+v", cv)
	}
	waitIdle(t, s)
	if ev := strings.Join(rc.events(), ","); !strings.Contains(ev, "conversation_typing_on") {
		t.Errorf("typing in the console sent no typing event: %s", ev)
	}
}
