package engine_test

import (
	"strings"
	"testing"

	"switchboard"
	"switchboard/internal/testclock"
)

func TestCloseConversationsStartsTheNextEventOver(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	first := f.send(text("hi"))
	if len(first.Messages) == 0 {
		t.Fatal("no reply")
	}
	f.send(text("something"))
	closed, err := f.eng.CloseConversations(f.ctx, botKey)
	if err != nil || !closed {
		t.Fatalf("CloseConversations = %v, %v; want true", closed, err)
	}
	if closed, err := f.eng.CloseConversations(f.ctx, botKey); err != nil || closed {
		t.Fatalf("CloseConversations with none open = %v, %v; want false", closed, err)
	}
	// The next event starts the default flow from its start, in a new
	// conversation: the greeting again.
	again := f.send(text("hello again"))
	if len(again.Messages) == 0 || again.Messages[0].ConversationID == first.Messages[0].ConversationID {
		t.Fatalf("after close: %+v, want messages of a new conversation", again.Messages)
	}
	if got := texts(again.Messages[:1]); !strings.HasPrefix(got[0], "SEND bot: Hello") {
		t.Fatalf("first message after close = %q, want the greeting", got[0])
	}
	if _, err := f.eng.CloseConversations(f.ctx, switchboard.ClientKey{BotID: "support"}); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Fatalf("CloseConversations of an incomplete key: %v, want invalid", err)
	}
}
