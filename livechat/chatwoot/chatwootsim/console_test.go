package chatwootsim

import (
	"strings"
	"testing"

	"switchboard/internal/browsertest"
	"switchboard/internal/simkit/simtest"
)

// TestConsoleActsAsAnAgent uses the console page as a person trying the
// integration would: open a conversation, type (the user sees it), reply,
// write a note, sign off and resolve.
func TestConsoleActsAsAnAgent(t *testing.T) {
	s, c := start(t, Config{})
	rc := newReceiver(t)
	tab := simtest.Console(t, s.URL, "token", DefaultUser.Token)
	_, _, conv := setup(t, c, rc.URL)
	c.do("POST", "/api/v1/accounts/1/conversations/1/messages", map[string]any{"content": "Where is my parcel?", "message_type": "incoming"})
	browsertest.WaitJS(t, tab, "the inbox", browsertest.TextHas("#inboxes", rc.URL))
	simtest.OpenThread(t, tab, ".msg.incoming", "Where is my parcel?")
	simtest.Acts(t, tab,
		simtest.Act{Kind: "reply", Text: "It left this morning.", Sel: ".msg.outgoing"},
		simtest.Act{Kind: "note", Text: "carrier is late", Sel: ".msg.private"},
		simtest.Act{Kind: "canned", Sel: ".msg.outgoing:last-child", Want: "LIVECHAT_SESSION_END"},
		simtest.Act{Kind: "resolve", Sel: "#title", Want: "(resolved)"},
	)

	cv, _ := s.ConversationBySource("session-1")
	if cv.DisplayID != conv || cv.Status != "resolved" || len(cv.Messages) != 5 || !cv.Messages[2].Private || !strings.Contains(cv.Messages[3].Text(), "LIVECHAT_SESSION_END") {
		t.Errorf("the conversation after the console: %+v", cv)
	}
	waitIdle(t, s)
	if ev := strings.Join(rc.events(), ","); !strings.Contains(ev, "conversation_typing_on") {
		t.Errorf("typing in the console sent no typing event: %s", ev)
	}
}
