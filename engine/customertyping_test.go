package engine_test

import (
	"slices"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

// TestCustomerTypingWakesTheDeskAndLapses checks the chat page → desk
// direction: a desk session's page is woken when the customer starts
// typing, it lapses after a few seconds, the customer's message ends it, and
// without a desk session nothing shows.
func TestCustomerTypingWakesTheDeskAndLapses(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	hints, names, cancel := f.hub.SubscribePrefix(switchboard.TopicDeskPrefix)
	defer cancel()
	drain := func() []string {
		var got []string
		for {
			select {
			case <-hints:
				n, _ := names()
				got = append(got, n...)
			case <-time.After(100 * time.Millisecond):
				return got
			}
		}
	}

	if err := f.eng.CustomerTyping(f.ctx, botKey, true); err != nil || f.eng.CustomerIsTyping(botKey) {
		t.Fatalf("typing without a session: %v, shown %v", err, f.eng.CustomerIsTyping(botKey))
	}
	f.setSettings(livechat.Settings{Platform: livechat.PlatformDesk})
	f.send(text("hi"))
	f.send(button(switchboard.PayloadSessionStart))
	s := f.liveSession()
	drain()

	if err := f.eng.CustomerTyping(f.ctx, botKey, true); err != nil {
		t.Fatal(err)
	}
	// Typing shows in the conversation, not in the list.
	if got, want := drain(), s.ID+switchboard.DeskConversationSuffix; !slices.Contains(got, want) || slices.Contains(got, s.ID) || !f.eng.CustomerIsTyping(botKey) {
		t.Fatalf("typing woke the desk for %v (want %s alone), shown %v", got, want, f.eng.CustomerIsTyping(botKey))
	}
	clock.Advance(7 * time.Second)
	if f.eng.CustomerIsTyping(botKey) {
		t.Error("the customer's typing did not lapse")
	}
	if err := f.eng.CustomerTyping(f.ctx, botKey, true); err != nil {
		t.Fatal(err)
	}
	f.send(text("my question"))
	if f.eng.CustomerIsTyping(botKey) {
		t.Error("still typing after the customer's message")
	}
}
